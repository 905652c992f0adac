"""The composition generator: every composition the public API accepts, built and judged.

``dimensions`` holds the option space as data (and the faults the library refuses on
purpose), ``covering`` draws a seeded covering design of it, ``sample`` says which designs
a run builds, ``builder`` writes one composition as a user would (``comprehend_jobs``'
exports only) and ``runner`` gives its outcome: refused as the library means to, or
synthesized under the four cdk-nag packs and rehearsed clean. ``tests/test_compositions.py``
runs them.
"""
