/*
 * mark_match.h - trademark hits in one field, with the context that decides
 * whether each hit is a risk: nominative fair use, ordinary-word senses,
 * class context and authorizations.
 */
#ifndef IPR_MATCH_MARK_MATCH_H
#define IPR_MATCH_MARK_MATCH_H

#include "../compile/markset.h"

enum hit_state {
    HIT_RISK = 0,   /* counts */
    HIT_FAIR_USE,   /* "compatible with Apple iPhone 15": nominative use */
    HIT_GENERIC,    /* the ordinary word ("apple pie") */
    HIT_NO_CONTEXT, /* a common-word mark with nothing that confirms the brand sense */
    HIT_AUTHORIZED  /* the seller holds a valid authorization */
};

struct mark_hit {
    uint32_t mark;     /* index into the markset */
    size_t start, end; /* byte span in the original value */
    const char *kind;  /* exact, case, alias, confusable, leet, separator, fuzzy */
    double confidence;
    enum hit_state state;
    unsigned severity_drop; /* levels below the rule's severity (near-miss, vague "for X") */
    const char *note;       /* why an authorization did not cover the hit, or NULL */
};

struct field_marks {
    bool valid;
    struct mark_hit *hits; /* in the scanner's scratch arena */
    size_t count;
};

struct ipr_scanner;

/* The hits of field fi of the current record, computed once per record. */
const struct field_marks *mark_hits_for_field(struct ipr_scanner *s, size_t fi);

#endif
