"""The vocabulary every layer shares: periods, the data package loaded, monthly series and their measures."""
