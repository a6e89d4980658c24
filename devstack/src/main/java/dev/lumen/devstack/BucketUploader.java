package dev.lumen.devstack;

import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.nio.file.Path;

/**
 * Uploads files into the devstack's bucket through the MinIO Java SDK, for seeding; the services' S3
 * client is service-commons' {@code ObjectStore}, which this module does not depend on.
 */
final class BucketUploader {

    private final MinioClient client;
    private final String bucket;

    private BucketUploader(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    static BucketUploader connect(TestStack.Endpoints endpoints) {
        MinioClient client = MinioClient.builder()
                .endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey())
                // A fixed region spares the SDK a GetBucketLocation call before every first request.
                .region(endpoints.s3Region())
                .build();
        return new BucketUploader(client, endpoints.s3Bucket());
    }

    /** Uploads (or overwrites) one file under {@code key}. */
    void upload(String key, Path file, String contentType) throws Exception {
        client.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .filename(file.toString())
                .contentType(contentType)
                .build());
    }

    String bucket() {
        return bucket;
    }
}
