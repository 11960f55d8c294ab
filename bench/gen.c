/*
 * gen: the deterministic repositories of make bench (bench/run.sh).
 *
 *   gen import KIND         a `git fast-import` stream on stdout: one commit
 *                           on refs/heads/main with fixed author, committer
 *                           and date, holding KIND's files
 *   gen stage KIND DIR      write KIND's staged change into the work tree DIR
 *                           and print the paths it wrote, one a line
 *
 * KIND:
 *   small     about 1,000 files: an application (app/models.py), an Alembic
 *             history of 20 migrations, 913 ordinary modules, docs and data;
 *             the staged change is one new migration
 *   big       the same application and history plus 100,000 ordinary
 *             modules (pkgNNN/subN/modNNN.py, 100 x 10 x 100); the staged
 *             change is 3 files: a new migration, the model that goes
 *             with it, and an edited module
 *   hist:N    a linear history of N migrations and one model file that
 *             declares what they create; nothing is staged
 *
 * Migration k: every 10th one (k = 1, 11, 21, ...) creates a table
 * t<(k-1)/10> with an index, the others add a nullable column c<k> to it
 * with an index; each downgrade undoes its upgrade. The model file declares
 * every table and column of migrations 1..N, so the history is clean.
 * Revision ids are fixed 12-digit hex numbers derived from k.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>

#define BASE_MIGRATIONS 20
#define SMALL_FILLER 913
#define DATE "1700000000 +0000"

static char *buf;
static size_t buflen;
static FILE *mem;

/* Start a file's text; the printf-like add() appends to it. */
static void begin(void)
{
	mem = open_memstream(&buf, &buflen);
	if (!mem) {
		perror("open_memstream");
		exit(1);
	}
}

__attribute__((format(printf, 1, 2)))
static void add(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(mem, fmt, ap);
	va_end(ap);
}

static const char *stage_dir;

static void mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			perror(path);
			exit(1);
		}
		*p = '/';
	}
}

/*
 * End the file begun with begin(): in import mode, an inline fast-import
 * file; in stage mode, the file written under stage_dir and its path
 * printed.
 */
static void end(const char *fmt, ...)
{
	char path[512], full[1024];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fclose(mem);
	if (!stage_dir) {
		printf("M 100644 inline %s\ndata %zu\n", path, buflen);
		fwrite(buf, 1, buflen, stdout);
		putchar('\n');
	} else {
		snprintf(full, sizeof(full), "%s/%s", stage_dir, path);
		mkdirs(full);
		if (!(f = fopen(full, "w")) || fwrite(buf, 1, buflen, f) != buflen ||
		    fclose(f)) {
			perror(full);
			exit(1);
		}
		printf("%s\n", path);
	}
	free(buf);
	buf = NULL;
}

/* The revision id of migration k (k >= 1). */
static const char *rev(unsigned k)
{
	static char out[2][16];
	static int which;
	unsigned long long z = k * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	which ^= 1;
	snprintf(out[which], sizeof(out[which]), "%012llx",
		 z & 0xffffffffffffULL);
	return out[which];
}

static void migration(unsigned k)
{
	unsigned t = (k - 1) / 10;

	begin();
	add("\"\"\"step %u\n\nRevision ID: %s\nRevises: %s\n"
	    "Create Date: 2023-11-14 22:13:20\n\"\"\"\n", k, rev(k),
	    k > 1 ? rev(k - 1) : "");
	add("from alembic import op\nimport sqlalchemy as sa\n\n");
	add("revision = \"%s\"\n", rev(k));
	if (k > 1)
		add("down_revision = \"%s\"\n", rev(k - 1));
	else
		add("down_revision = None\n");
	add("branch_labels = None\ndepends_on = None\n\n\n");
	if ((k - 1) % 10 == 0) {
		add("def upgrade():\n"
		    "    op.create_table(\n"
		    "        \"t%u\",\n"
		    "        sa.Column(\"id\", sa.Integer, primary_key=True),\n"
		    "        sa.Column(\"name\", sa.String(50), nullable=True),\n"
		    "    )\n"
		    "    op.create_index(\"ix_t%u_name\", \"t%u\", [\"name\"])\n"
		    "\n\n"
		    "def downgrade():\n"
		    "    op.drop_index(\"ix_t%u_name\", table_name=\"t%u\")\n"
		    "    op.drop_table(\"t%u\")\n", t, t, t, t, t, t);
	} else {
		add("def upgrade():\n"
		    "    op.add_column(\"t%u\", sa.Column(\"c%u\", "
		    "sa.String(50), nullable=True))\n"
		    "    op.create_index(\"ix_t%u_c%u\", \"t%u\", [\"c%u\"])\n"
		    "\n\n"
		    "def downgrade():\n"
		    "    op.drop_index(\"ix_t%u_c%u\", table_name=\"t%u\")\n"
		    "    op.drop_column(\"t%u\", \"c%u\")\n",
		    t, k, t, k, t, k, t, k, t, t, k);
	}
	end("migrations/versions/%s_step_%u.py", rev(k), k);
}

/* The model file that declares what migrations 1..n create. */
static void models(unsigned n)
{
	unsigned t, k;

	begin();
	add("\"\"\"The application's models.\"\"\"\n"
	    "from typing import Optional\n\n"
	    "import sqlalchemy as sa\n"
	    "from sqlalchemy.orm import DeclarativeBase, Mapped, "
	    "mapped_column\n\n\n"
	    "class Base(DeclarativeBase):\n    pass\n");
	for (t = 0; t * 10 < n; t++) {
		add("\n\nclass T%u(Base):\n"
		    "    __tablename__ = \"t%u\"\n\n"
		    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
		    "    name: Mapped[Optional[str]] = "
		    "mapped_column(sa.String(50), index=True)\n", t, t);
		for (k = t * 10 + 2; k <= t * 10 + 10 && k <= n; k++)
			add("    c%u: Mapped[Optional[str]] = "
			    "mapped_column(sa.String(50), index=True)\n", k);
	}
	end("app/models.py");
}

/* The files every kind has, but the model file and the migrations. */
static void skeleton(void)
{
	begin();
	add("# shop\n\nA generated application for schemacheck's benchmarks.\n");
	end("README.md");
	begin();
	add("[project]\nname = \"shop\"\nversion = \"1.0\"\n"
	    "dependencies = [\"sqlalchemy>=2\", \"alembic\"]\n");
	end("pyproject.toml");
	begin();
	add("[alembic]\nscript_location = %%(here)s/migrations\n"
	    "sqlalchemy.url = postgresql://localhost/shop\n");
	end("alembic.ini");
	begin();
	add("\"\"\"The shop application.\"\"\"\n");
	end("app/__init__.py");
	begin();
	add("\"\"\"Alembic environment.\"\"\"\nfrom alembic import context\n\n"
	    "from app.models import Base\n\n"
	    "target_metadata = Base.metadata\n\n\n"
	    "def run_migrations_online():\n"
	    "    with context.begin_transaction():\n"
	    "        context.run_migrations()\n\n\n"
	    "run_migrations_online()\n");
	end("migrations/env.py");
	begin();
	add("\"\"\"${message}\n\nRevision ID: ${up_revision}\n"
	    "Revises: ${down_revision | comma,n}\n\"\"\"\n");
	end("migrations/script.py.mako");
}

static void module(const char *path, unsigned n, int edited)
{
	begin();
	add("\"\"\"Module %u.\"\"\"\nimport os\n\nVALUE_%u = %u\n\n\n"
	    "def helper_%u(value):\n"
	    "    \"\"\"Return value shifted by VALUE_%u.\"\"\"\n"
	    "    return os.fspath(str(value + VALUE_%u))\n",
	    n, n, n, n, n, n);
	if (edited)
		add("\n\ndef edited_%u():\n    return VALUE_%u * 2\n", n, n);
	end("%s", path);
}

/* Docs and data files: 60 of them, none Python. */
static void docs(void)
{
	unsigned i;

	for (i = 0; i < 40; i++) {
		begin();
		add("# Page %u\n\nSome documentation, page %u.\n", i, i);
		end("docs/page%03u.md", i);
	}
	for (i = 0; i < 20; i++) {
		begin();
		add("{\"id\": %u, \"name\": \"item %u\"}\n", i, i);
		end("static/data%02u.json", i);
	}
}

static void small_fillers(void)
{
	char path[64];
	unsigned i;

	for (i = 0; i < SMALL_FILLER; i++) {
		snprintf(path, sizeof(path), "lib/pkg%02u/mod%02u.py", i / 30,
			 i % 30);
		module(path, i, 0);
	}
}

static void big_fillers(void)
{
	char path[64];
	unsigned i;

	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), "pkg%03u/sub%u/mod%03u.py",
			 i / 1000, i / 100 % 10, i % 100);
		module(path, i, 0);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: gen import KIND | gen stage KIND DIR "
		"(KIND: small, big, hist:N)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned k, n = 0;
	int small, big;

	if (argc < 3)
		usage();
	small = !strcmp(argv[2], "small");
	big = !strcmp(argv[2], "big");
	if (!small && !big &&
	    (strncmp(argv[2], "hist:", 5) || (n = atoi(argv[2] + 5)) < 1))
		usage();

	if (!strcmp(argv[1], "stage")) {
		if (argc != 4)
			usage();
		stage_dir = argv[3];
		if (small || big)
			migration(BASE_MIGRATIONS + 1);
		if (big) {
			models(BASE_MIGRATIONS + 1);
			module("pkg000/sub0/mod000.py", 0, 1);
		}
		return 0;
	}
	if (strcmp(argv[1], "import") || argc != 3)
		usage();
	printf("commit refs/heads/main\n"
	       "author Bench <bench@example.com> " DATE "\n"
	       "committer Bench <bench@example.com> " DATE "\n"
	       "data 14\nbench fixture\n");
	skeleton();
	if (small || big) {
		n = BASE_MIGRATIONS;
		docs();
	}
	for (k = 1; k <= n; k++)
		migration(k);
	models(n);
	if (small)
		small_fillers();
	if (big)
		big_fillers();
	return fflush(stdout) ? 1 : 0;
}
