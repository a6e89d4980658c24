package dev.lumen.runs.domain;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits and refusals of archive unpacking, without a server. */
class ModelArchiveTest {

    @TempDir
    Path dir;

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Path zip = zip("saved_model.pb", "a", "b", "c");
        assertThatThrownBy(() -> new ModelArchive(1_000_000, 3, 100).unpack(zip, Files.createDirectory(dir.resolve("out"))))
                .isInstanceOf(ModelArchive.RefusedException.class).hasMessageContaining("more than 3 entries");
    }

    @Test
    void theUncompressedLimitIsCountedNotReadFromHeaders() throws IOException {
        Path zip = zip("saved_model.pb", "big");
        assertThatThrownBy(() -> new ModelArchive(100, 10, 1_000_000).unpack(zip, Files.createDirectory(dir.resolve("out"))))
                .isInstanceOf(ModelArchive.RefusedException.class)
                .satisfies(e -> assertThat(((ModelArchive.RefusedException) e).kind()).isEqualTo("archive-too-large"));
    }

    @Test
    void absolutePathsAndHardLinksAreRefused() throws IOException {
        Path absolute = zip("/etc/saved_model.pb");
        assertThatThrownBy(() -> new ModelArchive(1_000_000, 10, 100).unpack(absolute, Files.createDirectory(dir.resolve("a"))))
                .hasMessageContaining("absolute path");

        Path tar = dir.resolve("m.tar.gz");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tar)))) {
            TarArchiveEntry link = new TarArchiveEntry("saved_model.pb", TarArchiveEntry.LF_LINK);
            link.setLinkName("../../etc/passwd");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        assertThatThrownBy(() -> new ModelArchive(1_000_000, 10, 100).unpack(tar, Files.createDirectory(dir.resolve("b"))))
                .hasMessageContaining("hard link");
    }

    @Test
    void devicesAndFifosAreRefusedInTarsAndZips() throws IOException {
        for (byte type : new byte[] {TarArchiveEntry.LF_CHR, TarArchiveEntry.LF_BLK, TarArchiveEntry.LF_FIFO}) {
            Path tar = dir.resolve("dev-" + type + ".tar.gz");
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tar)))) {
                TarArchiveEntry device = new TarArchiveEntry("variables/null", type);
                out.putArchiveEntry(device);
                out.closeArchiveEntry();
            }
            Path target = Files.createDirectory(dir.resolve("t-" + type));
            assertThatThrownBy(() -> new ModelArchive(1_000_000, 10, 100).unpack(tar, target))
                    .isInstanceOfSatisfying(ModelArchive.RefusedException.class,
                            e -> assertThat(e.kind()).isEqualTo("archive-entry-type"))
                    .hasMessageContaining("'variables/null' is neither a file nor a folder");
            assertThat(target.resolve("variables/null")).doesNotExist();
        }

        Path zip = dir.resolve("dev.zip");
        try (OutputStream raw = Files.newOutputStream(zip);
             org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream out =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(raw)) {
            org.apache.commons.compress.archivers.zip.ZipArchiveEntry device =
                    new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("variables/null");
            device.setUnixMode(0020666);
            out.putArchiveEntry(device);
            out.closeArchiveEntry();
        }
        assertThatThrownBy(() -> new ModelArchive(1_000_000, 10, 100).unpack(zip, Files.createDirectory(dir.resolve("z"))))
                .hasMessageContaining("neither a file nor a folder");
    }

    @Test
    void aModelInOneTopLevelFolderIsFound() throws IOException {
        Path zip = zip("m/saved_model.pb", "m/variables/variables.index");
        Path out = Files.createDirectory(dir.resolve("out"));
        assertThat(new ModelArchive(1_000_000, 10, 100).unpack(zip, out)).isEqualTo(out.resolve("m"));
    }

    /** A zip of files named {@code names}, each holding 1000 bytes. */
    private Path zip(String... names) throws IOException {
        Path file = dir.resolve("m-" + names.length + names[0].hashCode() + ".zip");
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(new byte[1000]);
                zip.closeEntry();
            }
        }
        return file;
    }
}
