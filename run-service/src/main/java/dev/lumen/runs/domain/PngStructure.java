package dev.lumen.runs.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The chunk structure of a PNG file, checked before its pixels are decoded: ImageIO neither verifies
 * chunk CRCs nor refuses every impossible header, so a damaged file could otherwise be stored and
 * explained as whatever part of it decodes. Checks the signature, every chunk's length and CRC, an
 * {@code IHDR} first with a colour type and bit depth the PNG specification allows, a {@code PLTE}
 * for palette images, at least one {@code IDAT} and an {@code IEND}.
 */
final class PngStructure {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Bit depths the specification allows per colour type (table 11.1). */
    private static final Map<Integer, Set<Integer>> DEPTHS = Map.of(
            0, Set.of(1, 2, 4, 8, 16), 2, Set.of(8, 16), 3, Set.of(1, 2, 4, 8), 4, Set.of(8, 16), 6, Set.of(8, 16));

    private PngStructure() {
    }

    /** Whether {@code bytes} start with the PNG signature. */
    static boolean isPng(byte[] bytes) {
        if (bytes.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with the PNG in {@code bytes}, or null when its structure is sound. */
    static String problem(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(SIGNATURE.length);
        boolean first = true;
        boolean palette = false;
        boolean hasPalette = false;
        boolean hasData = false;
        while (true) {
            if (in.remaining() < 12) {
                return "truncated PNG: the file ends " + (first ? "before its header" : "before its IEND chunk");
            }
            int start = in.position();
            long length = Integer.toUnsignedLong(in.getInt());
            byte[] typeBytes = new byte[4];
            in.get(typeBytes);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return "corrupt PNG: invalid chunk type at byte " + (start + 4);
            }
            if (length > in.remaining() - 4L) {
                return "truncated PNG: chunk " + type + " declares " + length + " bytes, the file holds "
                        + Math.max(0, in.remaining() - 4);
            }
            int dataStart = in.position();
            CRC32 crc = new CRC32();
            crc.update(bytes, start + 4, (int) length + 4);
            in.position(dataStart + (int) length);
            long stored = Integer.toUnsignedLong(in.getInt());
            if (crc.getValue() != stored) {
                return "corrupt PNG: CRC mismatch in chunk " + type + " at byte " + start;
            }
            if (first) {
                if (!type.equals("IHDR") || length != 13) {
                    return "corrupt PNG: the first chunk is " + type + ", not a 13-byte IHDR";
                }
                String header = header(bytes, dataStart);
                if (header != null) {
                    return header;
                }
                palette = bytes[dataStart + 9] == 3;
                first = false;
                continue;
            }
            switch (type) {
                case "PLTE" -> hasPalette = true;
                case "IDAT" -> hasData = true;
                case "IEND" -> {
                    if (!hasData) {
                        return "corrupt PNG: no IDAT chunk (no pixel data)";
                    }
                    if (palette && !hasPalette) {
                        return "corrupt PNG: a palette image without a PLTE chunk";
                    }
                    return null;
                }
                default -> {
                }
            }
        }
    }

    private static String header(byte[] bytes, int at) {
        int depth = bytes[at + 8] & 0xff;
        int colourType = bytes[at + 9] & 0xff;
        Set<Integer> depths = DEPTHS.get(colourType);
        if (depths == null) {
            return "unsupported PNG colour type " + colourType + " (the specification defines 0, 2, 3, 4 and 6)";
        }
        if (!depths.contains(depth)) {
            return "unsupported PNG bit depth " + depth + " for colour type " + colourType + " (allowed: "
                    + new java.util.TreeSet<>(depths) + ")";
        }
        if (bytes[at + 10] != 0 || bytes[at + 11] != 0) {
            return "unsupported PNG compression or filter method (only method 0 exists)";
        }
        if ((bytes[at + 12] & 0xff) > 1) {
            return "unsupported PNG interlace method " + (bytes[at + 12] & 0xff);
        }
        return null;
    }
}
