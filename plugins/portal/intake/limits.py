"""What intake accepts, and the error it gives when an input is refused."""

from portal.errors import PortalError

MAX_ATTACHMENT = 50 * 1024 * 1024  # one attachment or one file given on the command line
MAX_MESSAGE = 80 * 1024 * 1024  # one whole message (base64 makes attachments a third larger)
MAX_UNZIPPED = 300 * 1024 * 1024  # a .docx unpacked: more than this is a zip bomb
MAX_ZIP_ENTRIES = 5000
MAX_IMAGES = 60  # images taken out of one document or one message


class IntakeError(PortalError):
    """One input cannot be taken in; `source` names it (a file, an attachment)."""

    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


def size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"
