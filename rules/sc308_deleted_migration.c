/*! SC308 deleted-migration
 * ## What it does
 * In `--staged` and `--diff`, reports a change that deletes a migration
 * file that exists in "before" (HEAD for a commit, the merge base for a
 * pull request), or moves it out of the versions folders. The diagnostic
 * names the deleted file at line 1 (there is no text "after" to show).
 * Moving the file to another path that is still a migration is not a
 * deletion (a changed file is SC307), nor is deleting a second file that
 * declares a revision another file still declares. `--all` has no
 * "before" and never reports it.
 *
 * A suppression comment cannot be written into a deleted file. When the
 * deletion is intended (old migrations squashed into one), list the files
 * in `per-file-ignores` (`"migrations/versions/00*" = ["SC308"]`), which
 * also covers later merges of that change into other branches, or check
 * that one change with `--ignore SC308` (`git commit --no-verify` skips
 * the hook).
 *
 * ## Why is this bad?
 * Databases record the revision they are at. A database at the deleted
 * revision (or a later one) no longer finds its place in the history:
 * `alembic upgrade` fails with "Can't locate revision", and nobody can
 * downgrade through it or build a new database the way the existing ones
 * were built.
 *
 * ## Example
 * ```shell
 * git rm migrations/versions/0002_add_email.py
 * ```
 *
 * ## Use instead
 * Keep committed migrations. To undo what one did, add a new migration:
 * ```python
 * # migrations/versions/0005_drop_email.py
 * def upgrade():
 *     op.drop_column("users", "email")
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc308_deleted_migration.doc.inc"
	;

/* Does some migration of "after" still declare revision `rev`? */
static int revision_kept(const struct sc_ctx *ctx, const char *rev)
{
	size_t i;

	if (!rev)
		return 0;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];

		if (u->mig && u->mig->revision &&
		    !strcmp(u->mig->revision, rev))
			return 1;
	}
	return 0;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *old, const struct sc_change *c)
{
	const char *commit = ctx->before->snap->commit;
	char *where = commit ? sc_xasprintf(" in %.12s", commit)
			     : sc_xstrdup("");
	struct sc_srcfile gone;
	struct sc_diag *d;

	/* the file is gone: a path and no text (line 1, no snippet) */
	memset(&gone, 0, sizeof(gone));
	gone.path = sc_xstrdup(c->old_path);
	if (c->new_path)
		d = sc_diags_add(ctx->out, self, &gone, NULL,
				 "migration '%s' is moved out of the versions "
				 "folders (to '%s') after it was committed%s",
				 sc_unit_label(old), c->new_path, where);
	else
		d = sc_diags_add(ctx->out, self, &gone, NULL,
				 "migration '%s' is deleted after it was "
				 "committed%s", sc_unit_label(old), where);
	sc_diag_set_subject(d, NULL, NULL, old->mig->revision);
	sc_diag_set_help(d, "databases at this revision or a later one lose "
			    "their history: restore the file; if the deletion "
			    "is intended (migrations squashed into one), list "
			    "the file under per-file-ignores with [\"SC308\"], "
			    "or check this change once with '--ignore SC308' "
			    "('git commit --no-verify' skips the hook)");
	free(gone.path);
	free(where);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	if (!ctx->before || ctx->mode == SC_MODE_ALL)
		return;
	for (i = 0; i < ctx->cs->n_changes; i++) {
		const struct sc_change *c = &ctx->cs->changes[i];
		const struct sc_unit *old;

		if (c->status != SC_CHANGE_DELETED &&
		    c->status != SC_CHANGE_RENAMED)
			continue;
		old = sc_analysis_migration(ctx->before, c->old_path);
		if (!old || !old->mig || !old->mig->has_revision)
			continue;
		/* still a migration at its new path (SC307's business) */
		if (c->new_path && sc_analysis_migration(ctx->now, c->new_path))
			continue;
		/* moved to another file, or a duplicate removed */
		if (revision_kept(ctx, old->mig->revision))
			continue;
		report(ctx, self, old, c);
	}
}

const struct sc_rule sc_rule_SC308 = {
	.code = "SC308",
	.name = "deleted-migration",
	.severity = SC_SEV_ERROR,
	.summary = "the change deletes a migration that exists in \"before\"",
	.doc = doc,
	.check = check,
};
