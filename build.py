#!/usr/bin/env python3
"""Build the eviction-prevention portal from the YAML sources. See `python build.py --help`."""

import sys

from evictionportal.cli import main

if __name__ == "__main__":
    sys.exit(main())
