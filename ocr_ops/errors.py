"""Errors that blame the input, not the service. Each carries a stable machine-readable `code`;
the HTTP layer maps the class to a 4xx status, so bad input never becomes a 500."""


class OcrInputError(ValueError):
    code = "invalid_input"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAnImageError(OcrInputError):
    code = "not_an_image"


class CorruptImageError(OcrInputError):
    code = "corrupt_image"


class UnsupportedFormatError(OcrInputError):
    code = "unsupported_format"


class ImageTooLargeError(OcrInputError):
    code = "image_too_large"


class InvalidOptionError(OcrInputError):
    code = "invalid_option"


class EncryptedPdfError(OcrInputError):
    code = "encrypted_pdf"


class CorruptPdfError(CorruptImageError):
    code = "corrupt_pdf"


class TooManyPagesError(OcrInputError):
    code = "too_many_pages"
