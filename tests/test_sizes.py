"""Sizes in messages: decimal units, one decimal, kilobytes below a tenth of a megabyte."""

from rare_earth_exports.core.sizes import file_size


def test_file_size_in_megabytes_or_kilobytes():
    assert file_size(2_147_483_648) == "2,147.5 MB"
    assert file_size(12_345_678) == "12.3 MB"
    assert file_size(100_000) == "0.1 MB"
    assert file_size(99_999) == "100.0 kB"
    assert file_size(873) == "0.9 kB"
    assert file_size(0) == "0.0 kB"
