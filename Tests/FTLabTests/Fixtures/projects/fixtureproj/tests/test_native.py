import fixtureproj_gil


def test_gil_extension():
    assert fixtureproj_gil.twice(21) == 42
