/*
 * libxml2.c - galloc_libxml2_install() routes libxml2's allocations through
 * the global allocator: a document parsed from memory, walked, changed and
 * serialised; then xmlCleanupParser().
 */
#include "libraries/global.h"

#include <galloc/libxml2.h>

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static const char document[] =
    "<?xml version=\"1.0\"?>\n"
    "<library name=\"galloc\">\n"
    "  <adapter lib=\"sqlite3\" hook=\"SQLITE_CONFIG_MALLOC\"/>\n"
    "  <adapter lib=\"zlib\" hook=\"zalloc\"/>\n"
    "  <adapter lib=\"libxml2\" hook=\"xmlMemSetup\">parsed &amp; walked</adapter>\n"
    "</library>\n";

static void a_document_allocates_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    library_global_counts before = library_global_start();
    assert_int_equal(galloc_libxml2_install(), 0);
    xmlInitParser();

    xmlDocPtr doc = xmlReadMemory(document, (int)strlen(document), "galloc.xml", NULL, 0);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    assert_string_equal((const char *)root->name, "library");
    int adapters = 0;
    for (xmlNodePtr node = root->children; node != NULL; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        adapters++;
        xmlChar *lib = xmlGetProp(node, (const xmlChar *)"lib");
        assert_non_null(lib);
        xmlFree(lib); /* galloc's free now */
    }
    assert_int_equal(adapters, 3);
    xmlNodePtr added = xmlNewChild(root, NULL, (const xmlChar *)"adapter", NULL);
    xmlNewProp(added, (const xmlChar *)"lib", (const xmlChar *)"expat");

    xmlChar *text = NULL;
    int size = 0;
    xmlDocDumpMemory(doc, &text, &size);
    assert_non_null(text);
    assert_non_null(strstr((const char *)text, "<adapter lib=\"expat\"/>"));
    assert_non_null(strstr((const char *)text, "parsed &amp; walked"));
    xmlFree(text);
    xmlFreeDoc(doc);
    xmlCleanupParser();

    library_global_check(before, 20, "libxml2");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_document_allocates_through_the_global_allocator),
    };
    return cmocka_run_group_tests_name("libxml2 adapter", tests, NULL, NULL);
}
