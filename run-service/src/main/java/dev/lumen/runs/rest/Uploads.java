package dev.lumen.runs.rest;

import dev.lumen.runs.service.UploadedFile;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Multipart file parts as the services read them. */
final class Uploads {

    private Uploads() {
    }

    /** {@code upload} as an {@link UploadedFile}; null for a part that was not sent. */
    static UploadedFile of(FileUpload upload) {
        return upload == null ? null
                : new UploadedFile(upload.name(), upload.fileName(), upload.size(), upload.uploadedFile());
    }
}
