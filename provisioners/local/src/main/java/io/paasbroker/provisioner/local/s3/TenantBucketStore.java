package io.paasbroker.provisioner.local.s3;

import java.io.InputStream;
import java.util.List;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketAclRequest;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * What one binding's key may do in its instance's storage namespace: work with objects of the instance's bucket
 * (only read them, for a read-only key), and nothing else: no other bucket, no bucket created or deleted, no ACL
 * changed (a public ACL would open the bucket to anonymous callers). Everything refused is S3's AccessDenied.
 */
final class TenantBucketStore extends ForwardingBlobStore {

    private final String bucket;
    private final boolean readOnly;

    TenantBucketStore(BlobStore namespace, String bucket, boolean readOnly) {
        super(namespace);
        this.bucket = bucket;
        this.readOnly = readOnly;
    }

    @Override
    public ListBucketsResponse list() {
        return super.list().toBuilder()
                .buckets(super.list().buckets().stream()
                        .filter(b -> bucket.equals(b.name()))
                        .toList())
                .build();
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        return super.list(readable(request.bucket(), request));
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        return super.headBucket(readable(request.bucket(), request));
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        throw denied("buckets are created by the service broker, one per service instance");
    }

    @Override
    public BucketCannedACL getContainerAccess(String container) {
        return super.getContainerAccess(readable(container, container));
    }

    @Override
    public GetBucketAclResponse getContainerAcl(GetBucketAclRequest request) {
        return super.getContainerAcl(readable(request.bucket(), request));
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        throw denied("bucket ACLs cannot be changed");
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        super.clearContainer(writable(request.bucket(), request));
    }

    @Override
    public void deleteContainer(String container) {
        throw denied("buckets are deleted by the service broker with their service instance");
    }

    @Override
    public void deleteBucket(String container) {
        throw denied("buckets are deleted by the service broker with their service instance");
    }

    @Override
    public boolean blobExists(String container, String name) {
        return super.blobExists(readable(container, container), name);
    }

    @Override
    public GetBucketVersioningResponse getBucketVersioning(GetBucketVersioningRequest request) {
        return super.getBucketVersioning(readable(request.bucket(), request));
    }

    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        return super.listVersions(readable(request.bucket(), request));
    }

    @Override
    public GetBucketEncryptionResponse getBucketEncryption(GetBucketEncryptionRequest request) {
        return super.getBucketEncryption(readable(request.bucket(), request));
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        return super.putBlob(writable(request.bucket(), privateAcl(request.acl(), request)), content);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        readable(request.sourceBucket(), request);
        return super.copyBlob(writable(request.destinationBucket(), privateAcl(request.acl(), request)));
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        return super.blobMetadata(readable(request.bucket(), request));
    }

    @Override
    public HeadObjectResponse blobMetadataIfPresent(HeadObjectRequest request) {
        return super.blobMetadataIfPresent(readable(request.bucket(), request));
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        return super.getBlob(readable(request.bucket(), request));
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        return super.removeBlob(writable(request.bucket(), request));
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        return super.removeBlobs(writable(request.bucket(), request));
    }

    @Override
    public PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
        throw denied("bucket settings are managed by the service broker");
    }

    @Override
    public PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request) {
        throw denied("bucket settings are managed by the service broker");
    }

    @Override
    public DeleteBucketEncryptionResponse deleteBucketEncryption(DeleteBucketEncryptionRequest request) {
        throw denied("bucket settings are managed by the service broker");
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name) {
        return super.getBlobAccess(readable(container, container), name);
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name, String versionId) {
        return super.getBlobAccess(readable(container, container), name, versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        return super.getBlobAcl(readable(request.bucket(), request));
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        throw denied("object ACLs cannot be changed");
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access, String versionId) {
        throw denied("object ACLs cannot be changed");
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        return super.initiateMultipartUpload(writable(request.bucket(), privateAcl(request.acl(), request)));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(writable(upload.containerName(), upload));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        return super.completeMultipartUpload(writable(upload.containerName(), upload), request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(
            MultipartUpload upload, UploadPartRequest request, InputStream content) {
        return super.uploadMultipartPart(writable(upload.containerName(), upload), request, content);
    }

    @Override
    public UploadPartCopyResponse copyMultipartPart(MultipartUpload upload, UploadPartCopyRequest request) {
        readable(request.sourceBucket(), request);
        return super.copyMultipartPart(writable(upload.containerName(), upload), request);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        return super.listMultipartUpload(readable(upload.containerName(), upload));
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        return super.listMultipartUploads(readable(container, container));
    }

    /** Passes {@code request} on when it is about the binding's bucket. */
    private <T> T readable(String container, T request) {
        if (!bucket.equals(container)) {
            throw denied("this key reaches bucket " + bucket + " only");
        }
        return request;
    }

    private <T> T writable(String container, T request) {
        readable(container, request);
        if (readOnly) {
            throw denied("this key is read-only");
        }
        return request;
    }

    /** Objects stay private: a public ACL would let anonymous callers read them. */
    private static <T> T privateAcl(ObjectCannedACL acl, T request) {
        if (acl != null && acl != ObjectCannedACL.PRIVATE) {
            throw denied("objects can only be private");
        }
        return request;
    }

    private static S3ProxyException denied(String why) {
        return new S3ProxyException(S3ErrorCode.ACCESS_DENIED, why);
    }
}
