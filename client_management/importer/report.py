"""Step 6 of the import, and the way back: the workbooks the service gives the user.

- the error workbook: the rows that failed, as read, with an "Import errors" column (fixed,
  it is imported again as it is);
- the template: the canonical headers and one example row;
- the export: clients in the import format (an export imports back unchanged).

No cell of these workbooks is ever evaluated by a spreadsheet (``safe_cell``).
"""

import io

from .channels import has_lines
from .common import FormulaCell, html_to_text
from .headers import CANONICAL_HEADERS, TARGETS


def error_workbook(env, headers, error_rows):
    """The original rows that failed, plus an "Import errors" column (re-importable):
    ``error_rows`` = [(row number, values, messages)]."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(env._("Rows to fix"))
    sheet.append([safe_cell(sheet, h) for h in [*headers, env._("Import errors")]])
    for _number, values, messages in error_rows:
        row = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
        sheet.append([safe_cell(sheet, _plain(v)) for v in row] + [safe_cell(sheet, "; ".join(messages))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_messages(errors):
    """{row number: [messages]} of the errors stored by the background job."""
    messages = {}
    for error in errors:
        text = f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        messages.setdefault(error["row"], []).append(text)
    return messages


def template(env):
    """An .xlsx with the recognised headers and one example row."""
    example = {
        "name": env._("Anna Bērziņa"),
        "company_type": env._("Person"),
        "parent": env._("Example Company SIA"),
        "email": "anna@example.com; anna.berzina@example.lv",
        "phone": "+371 20 000 000; 67 000 000",
        "vat": "",
        "ref": "",
        "street": "Brīvības iela 1",
        "city": "Rīga",
        "zip": "LV-1010",
        "country": "LV",
        "website": "",
        "comment": env._("Prefers calls after 17:00"),
        "category": env._("VIP; Newsletter"),
        "birthdate": "31.12.1985",
        "user": env.user.login,
        "is_supplier": env._("No"),
        "is_conflict": env._("No"),
        "acquisition_source": env._("Recommendation"),
    }
    return workbook([[example[t] for t in TARGETS]], env._("Clients"))


def workbook(rows, title):
    """An .xlsx of ``rows`` under the canonical headers."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append([safe_cell(sheet, CANONICAL_HEADERS[t]) for t in TARGETS])
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_row(env, partner):
    """The cells of one client in the import format."""
    yes, no = env._("Yes"), env._("No")
    emails, phones = partner_emails(partner), partner_phones(partner)
    commercial = not partner.parent_id or partner.is_company
    values = {
        "name": partner.name or "",
        "company_type": env._("Company") if partner.is_company else env._("Person"),
        "parent": partner.parent_id.name or "",
        "email": "; ".join(emails),
        "phone": "; ".join(phones),
        "vat": (partner.vat or "") if commercial else "",
        "ref": partner.ref or "",
        "street": partner.street or "",
        "city": partner.city or "",
        "zip": partner.zip or "",
        "country": partner.country_id.code or "",
        "website": partner.website or "",
        "comment": html_to_text(partner.comment),
        "category": "; ".join(partner.category_id.mapped("name")),
        "birthdate": partner.birthdate.strftime("%d.%m.%Y") if partner.birthdate else "",
        "user": partner.user_id.login or "",
        "is_supplier": yes if partner.is_supplier else no,
        "is_conflict": yes if partner.is_conflict else no,
        "acquisition_source": partner.acquisition_source_id.name or "",
    }
    return [values[t] for t in TARGETS]


def partner_emails(partner):
    if has_lines(partner.env, "email_ids"):
        lines = partner.email_ids.sorted(lambda line: (not line.is_primary, line.sequence, line.id))
        return [line.email for line in lines if line.email]
    return [partner.email] if partner.email else []


def partner_phones(partner):
    if has_lines(partner.env, "phone_ids"):
        lines = partner.phone_ids.sorted(lambda line: (not line.is_primary, line.sequence, line.id))
        return [line.number for line in lines if line.number]
    return [partner.phone] if partner.phone else []


def _plain(value):
    if isinstance(value, FormulaCell):
        return str(value)
    return value


def safe_cell(sheet, value):
    """A cell that no spreadsheet evaluates: text starting with =, +, -, @ is stored as a
    string cell with Excel's quote prefix."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = value
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True
        return cell
    return value
