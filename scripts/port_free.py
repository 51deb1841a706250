"""`make run`'s first step: say at once when PORT is taken, before any installing."""

import socket
import sys


def main(port: str) -> None:
    """Exit with a message naming the port when it cannot be served on."""
    if not port.isdigit() or not 0 < int(port) < 65536:
        sys.exit(f"PORT={port} is not a port number: e.g. make run PORT=8001")
    try:
        socket.socket().bind(("127.0.0.1", int(port)))
    except OSError as error:
        sys.exit(
            f"Port {port} is already in use ({error.strerror}): stop what listens there, "
            f"or choose another, e.g. make run PORT={int(port) + 1}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
