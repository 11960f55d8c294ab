/*! SC307 modified-migration
 * ## What it does
 * In `--staged` and `--diff`, reports a change that edits a migration
 * file that already exists in "before" (HEAD for a commit, the merge base
 * for a pull request): any change of its contents counts, even one that
 * only touches whitespace or comments, and so does a rename that also
 * changes the contents. A pure rename (the same contents under another
 * path, even in another script directory) is not reported: Alembic knows
 * a migration by its revision id, not by its path, and a revision moved
 * into a history where it does not fit is reported by the graph rules
 * (SC303, SC304). A file deleted from the versions folders is SC308.
 * `--all` has no "before" and never reports it.
 *
 * The diagnostic points at the `revision = ...` line, so an edit that
 * cannot change what the migration does (a typo in a comment, a
 * formatting fix) can be allowed there with a reason:
 * `revision = "ae1027a6acf"  # schemacheck: ignore[SC307] -- docstring typo`.
 * The comment stays with the file, so it allows later edits of that
 * migration too; keep such reasons specific.
 *
 * ## Why is this bad?
 * A committed migration may already have run on a database: a teammate's,
 * CI's, staging, production. Alembic records only its revision id, so an
 * edited `upgrade()` never runs there again, and the databases that ran
 * the old version and those that run the new one silently differ.
 *
 * ## Example
 * ```python
 * # migrations/versions/0002_add_email.py, committed last week, edited now
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(200)))  # was 100
 * ```
 *
 * ## Use instead
 * Leave the committed migration as it is and make the change in a new one:
 * ```python
 * # migrations/versions/0005_widen_email.py
 * def upgrade():
 *     op.alter_column("users", "email", type_=sa.String(200),
 *                     existing_type=sa.String(100))
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc307_modified_migration.doc.inc"
	;

/* A migration of "before" that a change may not edit. */
static int committed(const struct sc_unit *u)
{
	return u && u->mig && u->mig->has_revision;
}

/* An id that says nothing about the contents ("" or all zeros). */
static int id_unknown(const char *id)
{
	return !*id || strspn(id, "0") == strlen(id);
}

/*
 * Do old_path in "before" and new_path in "after" have different
 * contents? 0 when either id is unknown (unknowns never produce findings).
 */
static int content_differs(const struct sc_ctx *ctx, const char *old_path,
			   const char *new_path)
{
	const struct sc_entry *o = sc_snapshot_find(ctx->before->snap,
						    old_path);
	const struct sc_entry *a = sc_snapshot_find(ctx->now->snap, new_path);

	if (!o || !a || id_unknown(o->id) || id_unknown(a->id))
		return 0;
	return strcmp(o->id, a->id) != 0;
}

/*
 * The migration of "after" that a deleted migration `old` moved to: a
 * file "before" lacks that declares the same revision id; or NULL.
 */
static const struct sc_unit *moved_to(const struct sc_ctx *ctx,
				      const struct sc_unit *old)
{
	size_t i;

	if (!old->mig->revision)
		return NULL;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];

		if (u->mig && u->mig->revision &&
		    !strcmp(u->mig->revision, old->mig->revision) &&
		    !sc_snapshot_find(ctx->before->snap, u->file->path))
			return u;
	}
	return NULL;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *now, const struct sc_unit *old,
		   const char *renamed_from)
{
	const char *commit = ctx->before->snap->commit;
	const char *rev = now->mig->revision ? now->mig->revision
					     : old->mig->revision;
	const struct sc_loc *loc = now->mig->has_revision
				   ? &now->mig->revision_loc : NULL;
	char *label = sc_xstrdup(now->mig->revision ? now->mig->revision
						    : sc_unit_label(old));
	char *where = commit ? sc_xasprintf(" in %.12s", commit)
			     : sc_xstrdup("");
	struct sc_diag *d;

	if (renamed_from)
		d = sc_diags_add(ctx->out, self, now->file, loc,
				 "migration '%s' is renamed from '%s' and "
				 "modified after it was committed%s", label,
				 renamed_from, where);
	else
		d = sc_diags_add(ctx->out, self, now->file, loc,
				 "migration '%s' is modified after it was "
				 "committed%s", label, where);
	sc_diag_set_subject(d, NULL, NULL, rev);
	sc_diag_set_help(d, "it may already have run on some database, which "
			    "will not run it again: make the change in a new "
			    "migration; if the edit cannot change what the "
			    "migration does, say why on this line: "
			    "'# schemacheck: ignore[SC307] -- <reason>'");
	free(where);
	free(label);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	if (!ctx->before || ctx->mode == SC_MODE_ALL)
		return;
	for (i = 0; i < ctx->cs->n_changes; i++) {
		const struct sc_change *c = &ctx->cs->changes[i];
		const struct sc_unit *old, *now;

		if (c->status == SC_CHANGE_ADDED)
			continue;
		old = sc_analysis_migration(ctx->before, c->old_path);
		if (!committed(old))
			continue;
		if (c->status == SC_CHANGE_DELETED) {
			now = moved_to(ctx, old);
			if (now && content_differs(ctx, c->old_path,
						   now->file->path))
				report(ctx, self, now, old, c->old_path);
			continue;
		}
		now = sc_analysis_migration(ctx->now, c->new_path);
		if (!now || !now->mig ||
		    !content_differs(ctx, c->old_path, c->new_path))
			continue;
		report(ctx, self, now, old,
		       c->status == SC_CHANGE_RENAMED ? c->old_path : NULL);
	}
}

const struct sc_rule sc_rule_SC307 = {
	.code = "SC307",
	.name = "modified-migration",
	.severity = SC_SEV_ERROR,
	.summary = "the change edits a migration that already exists in "
		   "\"before\"",
	.doc = doc,
	.check = check,
};
