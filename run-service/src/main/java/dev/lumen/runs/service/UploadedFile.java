package dev.lumen.runs.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file part of a multipart upload, as the HTTP layer received it: the services read uploads
 * through this, not through the REST framework's type.
 *
 * @param part the form field it came in
 * @param fileName the file name the client gave, or null
 * @param size its size in bytes
 * @param path where its bytes were stored
 */
public record UploadedFile(String part, String fileName, long size, Path path) {

    /** The file's bytes. */
    public byte[] bytes() {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read uploaded file " + fileName, e);
        }
    }
}
