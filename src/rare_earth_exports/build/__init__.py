"""Making the site: the page plan, input hashes, execution and publishing, the vintage diff."""
