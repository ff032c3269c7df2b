"""Make the media bucket ready (MEDIA_STORAGE=s3): create it when missing
and let anyone read its objects, as readers get photos straight from it
through the proxy or a CDN. Safe to run on every deployment (make stack and
docker-compose's migrate run it); with media on the file system it does
nothing.
"""

import json

from botocore.exceptions import ClientError
from django.core.files.storage import storages
from django.core.management.base import BaseCommand


def public_read_policy(bucket: str) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{bucket}/*"],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class Command(BaseCommand):
    help = "Create the S3 media bucket if missing, its objects readable by anyone."

    def handle(self, **options):
        storage = storages["default"]
        bucket = getattr(storage, "bucket_name", None)
        if bucket is None:
            self.stdout.write("media are on the file system: no bucket to make")
            return
        client = storage.connection.meta.client
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError:
            region = client.meta.region_name
            extra = {}
            if region and region != "us-east-1":
                extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
            client.create_bucket(Bucket=bucket, **extra)
            self.stdout.write(f"created the media bucket {bucket}")
        client.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
