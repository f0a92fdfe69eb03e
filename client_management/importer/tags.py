"""Part of step 5: the tags of the new clients of a batch, linked by one COPY into the relation
table of ``category_id`` instead of by ``create``'s many2many write, client by client; with
what that write checks and updates: the user may write the field and read the tags, the
constraints on the field, the cache of both sides and the fields depending on the tags."""

from ..tools.copy_rows import copy_into


def link_tags(partners, tag_ids_list):
    """Link each new client of ``partners`` to the tags of the same position in ``tag_ids_list``."""
    pairs = [
        (pid, tid) for pid, tag_ids in zip(partners.ids, tag_ids_list, strict=True) for tid in dict.fromkeys(tag_ids)
    ]
    if not pairs:
        return
    field = partners._fields["category_id"]
    partners._check_field_access(field, "write")
    tags = partners.env[field.comodel_name].browse({tid for _pid, tid in pairs})
    if not partners.env.su:
        tags.check_access("read")
    copy_into(partners.env.cr, field.relation, [field.column1, field.column2], (f"{pid}\t{tid}" for pid, tid in pairs))
    partners.invalidate_recordset([field.name])
    tags.invalidate_recordset([inverse.name for inverse in partners.pool.field_inverses[field]])
    partners.modified([field.name])
    partners._validate_fields([field.name])
