"""The demo team: a small one built through the same services people use, and a large one for
the benchmarks, built in bulk."""

from .build import SIZES, DemoResult, build_demo

__all__ = ["SIZES", "DemoResult", "build_demo"]
