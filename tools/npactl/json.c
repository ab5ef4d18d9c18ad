// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer behind npactl --json: compact by default, four-space
 * indentation with --pretty. Strings are escaped per RFC 8259; bytes that
 * are not valid UTF-8 are written as U+FFFD so the output always parses.
 */
#include <string.h>

#include "json.h"

#define JW_MAX_DEPTH	16

static struct {
	FILE *out;
	bool pretty;
	int depth;
	/* per level: no member written yet */
	bool first[JW_MAX_DEPTH];
	/* a key was just written: the value follows on the same line */
	bool after_key;
} jw;

void jw_init(FILE *out, bool pretty)
{
	memset(&jw, 0, sizeof(jw));
	jw.out = out;
	jw.pretty = pretty;
	jw.first[0] = true;
}

static void jw_indent(void)
{
	int i;

	if (!jw.pretty)
		return;
	fputc('\n', jw.out);
	for (i = 0; i < jw.depth; i++)
		fputs("    ", jw.out);
}

/* Everything a value needs written before it: a comma, a new line. */
static void jw_before_value(void)
{
	if (jw.after_key) {
		jw.after_key = false;
		return;
	}
	if (!jw.first[jw.depth])
		fputc(',', jw.out);
	if (jw.depth > 0)
		jw_indent();
	jw.first[jw.depth] = false;
}

static void jw_open(char c)
{
	jw_before_value();
	fputc(c, jw.out);
	if (jw.depth < JW_MAX_DEPTH - 1)
		jw.depth++;
	jw.first[jw.depth] = true;
}

static void jw_close(char c)
{
	bool empty = jw.first[jw.depth];

	if (jw.depth > 0)
		jw.depth--;
	if (!empty)
		jw_indent();
	fputc(c, jw.out);
}

void jw_object_begin(void)
{
	jw_open('{');
}

void jw_object_end(void)
{
	jw_close('}');
}

void jw_array_begin(void)
{
	jw_open('[');
}

void jw_array_end(void)
{
	jw_close(']');
}

/* Length of the valid UTF-8 sequence at @s, or 0 if there is none. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void jw_quote(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', jw.out);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", jw.out);
			break;
		case '\\':
			fputs("\\\\", jw.out);
			break;
		case '\n':
			fputs("\\n", jw.out);
			break;
		case '\r':
			fputs("\\r", jw.out);
			break;
		case '\t':
			fputs("\\t", jw.out);
			break;
		default:
			if (*s < 0x20) {
				fprintf(jw.out, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", jw.out);
				break;
			}
			fwrite(s, 1, n, jw.out);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', jw.out);
}

void jw_key(const char *key)
{
	jw_before_value();
	jw_quote(key);
	fputs(jw.pretty ? ": " : ":", jw.out);
	jw.after_key = true;
}

void jw_string(const char *s)
{
	jw_before_value();
	jw_quote(s);
}

void jw_uint(unsigned long long v)
{
	jw_before_value();
	fprintf(jw.out, "%llu", v);
}

void jw_int(long long v)
{
	jw_before_value();
	fprintf(jw.out, "%lld", v);
}

void jw_bool(bool v)
{
	jw_before_value();
	fputs(v ? "true" : "false", jw.out);
}

void jw_null(void)
{
	jw_before_value();
	fputs("null", jw.out);
}

void jw_finish(void)
{
	fputc('\n', jw.out);
	fflush(jw.out);
	jw_init(jw.out, jw.pretty);
}

void jw_kv_string(const char *key, const char *s)
{
	jw_key(key);
	jw_string(s);
}

void jw_kv_string_or_null(const char *key, const char *s)
{
	jw_key(key);
	if (s && *s)
		jw_string(s);
	else
		jw_null();
}

void jw_kv_uint(const char *key, unsigned long long v)
{
	jw_key(key);
	jw_uint(v);
}

void jw_kv_int(const char *key, long long v)
{
	jw_key(key);
	jw_int(v);
}

void jw_kv_bool(const char *key, bool v)
{
	jw_key(key);
	jw_bool(v);
}
