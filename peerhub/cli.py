"""The `peerhub` console command: everything `manage.py` does, with the hub's settings.

Command names may be written with hyphens (`peerhub export-open-data DIR`) as well as with
Django's underscores (`peerhub export_open_data DIR`)."""

import os
import sys


def command_line(argv: list[str]) -> list[str]:
    if len(argv) > 1 and not argv[1].startswith("-"):
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_line(sys.argv))


if __name__ == "__main__":
    main()
