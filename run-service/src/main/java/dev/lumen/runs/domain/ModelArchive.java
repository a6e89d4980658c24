package dev.lumen.runs.domain;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks an untrusted SavedModel archive (.zip or .tar.gz) into a folder, refusing anything that could
 * escape the folder (absolute paths, {@code ..}, links), entries that are neither files nor folders
 * (devices, FIFOs), too many entries and too many bytes. Sizes are
 * counted while the bytes are written, never taken from the archive's headers, so a zip bomb stops at
 * the limit instead of filling the disk.
 */
public final class ModelArchive {

    /** Unpacked bytes below which the compression ratio is not checked (small files compress well). */
    static final long RATIO_FLOOR = 1024 * 1024;
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    /** The file-type bits of a unix mode (zip entries made on unix carry one), and the two types accepted. */
    private static final int UNIX_FILE_TYPE = 0170000;
    private static final int UNIX_REGULAR = 0100000;
    private static final int UNIX_DIRECTORY = 0040000;

    private final long maxUncompressedBytes;
    private final int maxEntries;
    private final int maxCompressionRatio;

    /** Why an archive was refused; the message names the entry and the reason. */
    public static final class RefusedException extends RuntimeException {
        private final String kind;

        RefusedException(String kind, String message) {
            super(message);
            this.kind = kind;
        }

        /** A stable short name of the reason (e.g. {@code archive-path-traversal}). */
        public String kind() {
            return kind;
        }
    }

    public ModelArchive(long maxUncompressedBytes, int maxEntries, int maxCompressionRatio) {
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.maxEntries = maxEntries;
        this.maxCompressionRatio = maxCompressionRatio;
    }

    /**
     * Unpacks {@code archive} into the empty folder {@code target} and returns the SavedModel's folder:
     * {@code target} itself, or its only top-level folder when the model sits in one.
     *
     * @throws RefusedException when the archive is unsafe, too large or holds no {@code saved_model.pb}
     */
    public Path unpack(Path archive, Path target) throws IOException {
        long archiveBytes = Math.max(1, Files.size(archive));
        byte[] magic = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(archive)) {
            read = in.readNBytes(magic, 0, 4);
        }
        Counter counter = new Counter(archiveBytes);
        if (read >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            unzip(archive, target, counter);
        } else if (read >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            untar(archive, target, counter);
        } else {
            throw new RefusedException("archive-format", "archive: not a .zip or .tar.gz file");
        }
        return modelRoot(target);
    }

    private void unzip(Path archive, Path target, Counter counter) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                counter.entry(entry.getName());
                if (entry.isUnixSymlink()) {
                    throw new RefusedException("archive-link", "archive: entry '" + entry.getName() + "' is a symbolic link");
                }
                int fileType = entry.getUnixMode() & UNIX_FILE_TYPE;
                if (fileType != 0 && fileType != UNIX_REGULAR && fileType != UNIX_DIRECTORY) {
                    throw new RefusedException("archive-entry-type", "archive: entry '" + entry.getName()
                            + "' is neither a file nor a folder (unix mode " + Integer.toOctalString(entry.getUnixMode()) + ")");
                }
                Path file = resolve(target, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    write(in, file, counter, entry.getName());
                }
            }
        }
    }

    private void untar(Path archive, Path target, Counter counter) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                counter.entry(entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new RefusedException("archive-link", "archive: entry '" + entry.getName() + "' is a "
                            + (entry.isLink() ? "hard" : "symbolic") + " link");
                }
                // isFile() is also true of devices and FIFOs: only the regular-file types are files here.
                boolean regular = entry.getLinkFlag() == TarArchiveEntry.LF_NORMAL
                        || entry.getLinkFlag() == TarArchiveEntry.LF_OLDNORM
                        || entry.getLinkFlag() == TarArchiveEntry.LF_CONTIG;
                if (!entry.isDirectory() && !regular) {
                    throw new RefusedException("archive-entry-type", "archive: entry '" + entry.getName()
                            + "' is neither a file nor a folder");
                }
                Path file = resolve(target, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                write(tar, file, counter, entry.getName());
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new RefusedException("archive-format", "archive: unreadable .tar.gz: " + e.getMessage());
        }
    }

    private static Path resolve(Path target, ArchiveEntry entry) {
        String name = entry.getName().replace('\\', '/');
        if (name.isEmpty() || name.startsWith("/") || DRIVE.matcher(name).matches()) {
            throw new RefusedException("archive-path-traversal", "archive: entry '" + entry.getName() + "' has an absolute path");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new RefusedException("archive-path-traversal", "archive: entry '" + entry.getName()
                        + "' points outside the archive ('..')");
            }
        }
        Path file = target.resolve(name).normalize();
        if (!file.startsWith(target)) {
            throw new RefusedException("archive-path-traversal", "archive: entry '" + entry.getName() + "' points outside the archive");
        }
        return file;
    }

    private void write(InputStream in, Path file, Counter counter, String name) throws IOException {
        if (Files.exists(file)) {
            throw new RefusedException("archive-duplicate-entry", "archive: entry '" + name + "' appears twice");
        }
        Files.createDirectories(file.getParent());
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                counter.bytes(n, name);
                out.write(buffer, 0, n);
            }
        }
    }

    private static Path modelRoot(Path target) throws IOException {
        if (Files.isRegularFile(target.resolve("saved_model.pb"))) {
            return target;
        }
        List<Path> top;
        try (Stream<Path> children = Files.list(target)) {
            top = children.toList();
        }
        if (top.size() == 1 && Files.isDirectory(top.get(0)) && Files.isRegularFile(top.get(0).resolve("saved_model.pb"))) {
            return top.get(0);
        }
        throw new RefusedException("missing-saved-model", "archive: no saved_model.pb at its root or in its only top-level folder");
    }

    /** Counts entries and unpacked bytes against the limits as they are written. */
    private final class Counter {
        private final long archiveBytes;
        private int entries;
        private long total;

        Counter(long archiveBytes) {
            this.archiveBytes = archiveBytes;
        }

        void entry(String name) {
            if (++entries > maxEntries) {
                throw new RefusedException("archive-too-many-entries", "archive: more than " + maxEntries + " entries");
            }
        }

        void bytes(int n, String name) {
            total += n;
            if (total > maxUncompressedBytes) {
                throw new RefusedException("archive-too-large", "archive: unpacks to more than " + maxUncompressedBytes
                        + " bytes (at entry '" + name + "')");
            }
            if (total > RATIO_FLOOR && total > (long) maxCompressionRatio * archiveBytes) {
                throw new RefusedException("archive-compression-ratio", "archive: unpacks to more than "
                        + maxCompressionRatio + " times its size (a zip bomb?) at entry '" + name + "'");
            }
        }
    }
}
