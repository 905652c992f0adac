"""The library's machinery: the job provider, the caller's policies, the handler asset, the
botocore model reader. Not public API: names here change without notice.
"""
