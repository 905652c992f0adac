"""The custom-resource handler: the Lambda asset, and ``comprehend_jobs._lambda`` once installed.

The Lambda runtime imports these modules top-level (handler ``analysis_job.on_event``);
the library and its tests import them as this package. Each module imports its siblings
either way, and nothing but the standard library at import time.
"""
