#!/bin/sh
# Regenerates results/schema_sql.h from results/schema.sql (the test SchemaSql.EmbeddedCopyMatchesSchemaFile
# fails until this is run after an edit of schema.sql).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
{
  printf '#pragma once\n'
  printf '// A byte-identical copy of results/schema.sql (tests/results checks it), so that a built binary\n'
  printf '// does not read the source tree. Edit schema.sql, then regenerate this file with\n'
  printf '//   results/embed_schema.sh\n\n'
  printf 'namespace eegsweep {\n\n'
  printf 'inline constexpr const char kSchemaSql[] = R"schema_sql('
  cat "$dir/schema.sql"
  printf ')schema_sql";\n\n}  // namespace eegsweep\n'
} > "$dir/schema_sql.h.tmp"
mv "$dir/schema_sql.h.tmp" "$dir/schema_sql.h"
