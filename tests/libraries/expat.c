/*
 * expat.c - galloc_expat_parser_create() makes a parser whose allocations
 * go through the global allocator: a document parsed with element and
 * character-data handlers, in small pieces, then XML_ParserFree().
 */
#include "libraries/global.h"

#include <galloc/expat.h>

#include <stdio.h>
#include <string.h>

typedef struct seen {
    int elements, depth, max_depth;
    size_t text;
} seen;

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attributes) {
    seen *s = data;
    (void)name;
    (void)attributes;
    s->elements++;
    if (++s->depth > s->max_depth)
        s->max_depth = s->depth;
}

static void XMLCALL on_end(void *data, const XML_Char *name) {
    seen *s = data;
    (void)name;
    s->depth--;
}

static void XMLCALL on_text(void *data, const XML_Char *text, int length) {
    seen *s = data;
    (void)text;
    s->text += (size_t)length;
}

static void a_parse_allocates_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    /* 500 nested-and-sibling elements with attributes and text, so the
     * parser grows its buffers and name tables. */
    static char document[200000];
    size_t length = 0;
    length += (size_t)snprintf(document + length, sizeof document - length, "<root>");
    for (int i = 0; i < 500; i++)
        length += (size_t)snprintf(document + length, sizeof document - length,
                                   "<item id=\"%d\" name=\"element-%d\"><v>%d</v></item>", i,
                                   i, i * i);
    length += (size_t)snprintf(document + length, sizeof document - length, "</root>");

    library_global_counts before = library_global_start();
    XML_Parser parser = galloc_expat_parser_create(NULL);
    assert_non_null(parser);
    seen s = {0, 0, 0, 0};
    XML_SetUserData(parser, &s);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    for (size_t at = 0; at < length; at += 997) {
        size_t piece = length - at < 997 ? length - at : 997;
        if (XML_Parse(parser, document + at, (int)piece, 0) != XML_STATUS_OK)
            fail_msg("expat: %s", XML_ErrorString(XML_GetErrorCode(parser)));
    }
    assert_int_equal(XML_Parse(parser, "", 0, 1), XML_STATUS_OK);
    XML_ParserFree(parser);

    assert_int_equal(s.elements, 1 + 500 * 2);
    assert_int_equal(s.max_depth, 3);
    assert_int_equal(s.depth, 0);
    assert_true(s.text > 500);
    library_global_check(before, 5, "expat");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_parse_allocates_through_the_global_allocator),
    };
    return cmocka_run_group_tests_name("expat adapter", tests, NULL, NULL);
}
