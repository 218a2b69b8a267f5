# bash completion for bench. Load it with `source scripts/bench-completion.bash` (or copy it to
# /etc/bash_completion.d/bench). It asks bench itself (`bench --help`, `bench COMMAND --help`) for the commands and
# flags, so it stays true as they change; file names are completed where no flag is being typed.

# The commands or flags listed in one section ("Subcommands:" or "Options:") of a CLI11 help text.
_bench_help_words() {
  local section="$1"
  awk -v section="$section" '
    /^[A-Za-z][A-Za-z ]*:$/ { inside = ($0 == section); next }
    inside && /^  +[^ ]/ {
      sub(/^ +/, ""); word = $1
      if (section == "Options:") { n = split(word, flags, ","); for (i = 1; i <= n; i++) if (flags[i] ~ /^-/) print flags[i] }
      else print word
    }'
}

_bench() {
  local bench="${COMP_WORDS[0]}" current="${COMP_WORDS[COMP_CWORD]}" command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ "${COMP_WORDS[i]}" != -* ]]; then command="${COMP_WORDS[i]}"; break; fi
  done
  command -v "$bench" >/dev/null 2>&1 || bench=bench
  local words
  if [[ -z "$command" ]]; then
    words=$("$bench" --help 2>/dev/null | _bench_help_words "Subcommands:")
    [[ "$current" == -* ]] && words="--help --version"
  elif [[ "$current" == -* ]]; then
    words=$("$bench" "$command" --help 2>/dev/null | _bench_help_words "Options:")
  else
    COMPREPLY=($(compgen -f -- "$current"))
    return 0
  fi
  COMPREPLY=($(compgen -W "$words" -- "$current"))
}

complete -o filenames -F _bench bench build/bench ./build/bench
