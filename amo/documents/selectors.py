from amo.documents.models import Document
from amo.documents.rules import parse_code


def document_by_code(text: str) -> Document | None:
    return Document.objects.filter(code=parse_code(text)).first()
