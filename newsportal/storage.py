"""Media in an S3 bucket (MEDIA_STORAGE=s3): django-storages' S3 storage
with two site rules.

- Public URLs are MEDIA_URL + the object's name, computed without asking
  the bucket: "/media/..." when the proxy in front passes /media/ to the
  bucket (deploy/nginx.conf), or a CDN's address (MEDIA_URL from the
  environment). Pages list photos without a storage call, so a bucket that
  is down never takes a page down.
- The bucket not answering is an ``OSError`` (``MediaStorageUnavailable``),
  as a full or unwritable disk is for the file system storage: callers (the
  admin's upload forms) handle one kind of storage failure, whatever the
  storage.
"""

import functools
from urllib.parse import urljoin

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaStorageUnavailable(OSError):
    """The media bucket refused or did not answer a request."""


def _unavailable_as_oserror(method):
    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (BotoCoreError, Boto3Error) as error:
            raise MediaStorageUnavailable(f"media storage: {error}") from error
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                raise FileNotFoundError(str(error)) from error
            raise MediaStorageUnavailable(f"media storage: {error}") from error

    return wrapped


class MediaS3Storage(S3Storage):
    _open = _unavailable_as_oserror(S3Storage._open)
    _save = _unavailable_as_oserror(S3Storage._save)
    delete = _unavailable_as_oserror(S3Storage.delete)
    exists = _unavailable_as_oserror(S3Storage.exists)
    listdir = _unavailable_as_oserror(S3Storage.listdir)
    size = _unavailable_as_oserror(S3Storage.size)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
