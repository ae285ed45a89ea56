"""What the tests share: projects to build, servers to talk to, processes to kill."""
