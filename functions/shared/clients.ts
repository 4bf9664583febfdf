import { S3Client } from '@aws-sdk/client-s3';

/** One S3 client per execution environment, reused by every invocation (AWS_ENDPOINT_URL locally). */
export const s3 = new S3Client({});
