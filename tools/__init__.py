"""Developer tools kept out of the runtime package: documentation generators and code design."""
