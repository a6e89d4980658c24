package dev.lumen.devstack;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.nio.file.Path;

/** The devstack's bucket seen through the MinIO Java SDK: creation and file uploads. */
final class ObjectStore {

    private final MinioClient client;
    private final String bucket;

    private ObjectStore(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    static ObjectStore connect(TestStack.Endpoints endpoints) {
        MinioClient client = MinioClient.builder()
                .endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey())
                // A fixed region spares the SDK a GetBucketLocation call before every first request.
                .region(endpoints.s3Region())
                .build();
        return new ObjectStore(client, endpoints.s3Bucket());
    }

    /** Creates the bucket unless it exists (a data dir from an earlier run). */
    void ensureBucket() throws Exception {
        if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return;
        }
        try {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            // Someone else created it between the two calls: the outcome we wanted.
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw e;
            }
        }
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
