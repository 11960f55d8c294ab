# mkdoc.awk: turn a rule's leading /*! ... */ doc comment into C string
# lines, one per source line, for `#include "<stem>.doc.inc"` as the rule's
# documentation. The first line (/*! CODE name) is the title and is
# skipped; " * " prefixes are removed.
BEGIN { inside = 0; done = 0 }
done { next }
/^\/\*!/ { inside = 1; next }
inside && /^ *\*\// { inside = 0; done = 1; next }
inside {
	line = $0
	sub(/^ \* ?/, "", line)
	sub(/^ \*$/, "", line)
	gsub(/\\/, "\\\\", line)
	gsub(/"/, "\\\"", line)
	gsub(/\t/, "\\t", line)
	printf "\"%s\\n\"\n", line
}
END { if (!done) printf "\"\"\n" }
