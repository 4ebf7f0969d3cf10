"""Did China treat two destinations differently? Changes, their gap, the noise, the licensing record."""
