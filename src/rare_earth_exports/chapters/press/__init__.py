"""Which number is right? The press's categories and percentages against the book's own figures."""
