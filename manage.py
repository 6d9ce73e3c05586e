#!/usr/bin/env python
"""Django's usual entry point; `peerhub` (the console command) does the same."""

from peerhub.cli import main

if __name__ == "__main__":
    main()
