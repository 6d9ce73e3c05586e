from peerhub.cli import command_line


def test_it_accepts_hyphenated_command_names():
    assert command_line(["peerhub", "export-open-data", "out-dir"]) == ["peerhub", "export_open_data", "out-dir"]


def test_it_leaves_options_and_plain_names_alone():
    assert command_line(["peerhub", "--help"]) == ["peerhub", "--help"]
    assert command_line(["peerhub", "runserver", "127.0.0.1:8000"]) == ["peerhub", "runserver", "127.0.0.1:8000"]
