package dev.lumen.service.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The project's one bucket, through the MinIO Java SDK. Keys are plain strings
 * ({@code models/...}, {@code datasets/...}, {@code runs/...}); failures surface as
 * {@link StorageException} with the key in the message.
 */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final MinioClient presigner;
    private final String bucket;
    private volatile boolean bucketChecked;

    public ObjectStore(S3Config config) {
        this.bucket = config.bucket();
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        // A second client only signs: the browser's host is part of the signature.
        this.presigner = MinioClient.builder()
                .endpoint(config.publicEndpoint().orElse(config.endpoint()))
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
    }

    /** The bucket name. */
    public String bucket() {
        return bucket;
    }

    /** Creates the bucket when missing; called lazily before the first write. */
    public void ensureBucket() {
        if (bucketChecked) {
            return;
        }
        call("bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        });
        bucketChecked = true;
    }

    /** Writes {@code bytes} under {@code key}, replacing any previous object. */
    public void put(String key, byte[] bytes, String contentType) {
        ensureBucket();
        call(key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                .contentType(contentType)
                .build()));
    }

    /** The object's bytes, or empty when it does not exist. */
    public Optional<byte[]> get(String key) {
        return call(key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<byte[]>empty();
                }
                throw e;
            }
        });
    }

    /** Whether an object exists under {@code key}. */
    public boolean exists(String key) {
        return call(key, () -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                return true;
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Every key under {@code prefix}, recursively, in lexicographic order. */
    public List<String> list(String prefix) {
        return call(prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    keys.add(item.objectName());
                }
            }
            keys.sort(null);
            return keys;
        });
    }

    /**
     * The names directly under {@code prefix} that have objects below them ("folders"), without the
     * prefix and the trailing slash, sorted; e.g. the dataset ids under {@code datasets/}.
     */
    public List<String> listFolders(String prefix) {
        return call(prefix, () -> {
            List<String> names = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket).prefix(prefix).delimiter("/").recursive(false).build())) {
                Item item = result.get();
                String name = item.objectName();
                if (item.isDir() && name.startsWith(prefix) && name.endsWith("/") && name.length() > prefix.length() + 1) {
                    names.add(name.substring(prefix.length(), name.length() - 1));
                }
            }
            names.sort(null);
            return names;
        });
    }

    /** The object's size in bytes, or empty when it does not exist. */
    public Optional<Long> size(String key) {
        return call(key, () -> {
            try {
                return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<Long>empty();
                }
                throw e;
            }
        });
    }

    /** When the object was last written, or empty when it does not exist. */
    public Optional<java.time.Instant> lastModified(String key) {
        return call(key, () -> {
            try {
                return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())
                        .lastModified().toInstant());
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<java.time.Instant>empty();
                }
                throw e;
            }
        });
    }

    /**
     * At most {@code length} bytes of the object from its start (a ranged GET), or empty when it does
     * not exist; enough to read an image's header without fetching the image.
     */
    public Optional<byte[]> head(String key, long length) {
        return call(key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                    .offset(0L).length(length).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<byte[]>empty();
                }
                throw e;
            }
        });
    }

    /** Removes one object; removing a missing object is not an error. */
    public void delete(String key) {
        call(key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /** Removes every object under {@code prefix}; returns how many were removed. */
    public int deletePrefix(String prefix) {
        List<String> keys = list(prefix);
        for (String key : keys) {
            call(key, () -> {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
                return null;
            });
        }
        return keys.size();
    }

    /**
     * A fingerprint of everything under {@code prefix}: keys, sizes and ETags, hashed. It changes when
     * any object is added, removed or rewritten, so local copies can tell they are stale.
     */
    public String fingerprint(String prefix) {
        return call(prefix, () -> {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            List<String> entries = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    entries.add(item.objectName() + "\u0000" + item.size() + "\u0000" + item.etag());
                }
            }
            entries.sort(null);
            entries.forEach(e -> digest.update((e + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return java.util.HexFormat.of().formatHex(digest.digest());
        });
    }

    /** A GET URL valid for {@code ttl}, signed for the public endpoint. */
    public String presignGet(String key, Duration ttl) {
        return call(key, () -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket(bucket).object(key)
                .expiry((int) ttl.toSeconds())
                .build()));
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NoSuchBucket".equals(code);
    }

    private <T> T call(String what, StorageCall<T> call) {
        try {
            return call.run();
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException("object storage failed on " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface StorageCall<T> {
        T run() throws Exception;
    }
}
