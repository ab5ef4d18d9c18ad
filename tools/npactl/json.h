/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer for npactl's --json output: one writer,
 * on one stream, nesting tracked so commas and indentation come out right.
 */
#ifndef _NPACTL_JSON_H
#define _NPACTL_JSON_H

#include <stdbool.h>
#include <stdio.h>

void jw_init(FILE *out, bool pretty);
/* Ends the document with a newline; the writer can start a new one. */
void jw_finish(void);

void jw_object_begin(void);
void jw_object_end(void);
void jw_array_begin(void);
void jw_array_end(void);

/* Member name of the next value, inside an object. */
void jw_key(const char *key);

void jw_string(const char *s);
void jw_uint(unsigned long long v);
void jw_int(long long v);
void jw_bool(bool v);
void jw_null(void);

/* key: value shorthands */
void jw_kv_string(const char *key, const char *s);
void jw_kv_string_or_null(const char *key, const char *s);
void jw_kv_uint(const char *key, unsigned long long v);
void jw_kv_int(const char *key, long long v);
void jw_kv_bool(const char *key, bool v);

#endif /* _NPACTL_JSON_H */
