/*
 * ruleset.c - read-only access to a compiled ruleset (ipr_ruleset_*).
 */
#include "ruleset.h"

#include <stdlib.h>

void ipr_ruleset_free(ipr_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->regexes.count; i++)
        regex_release(*(struct regex **)vec_at(&rs->regexes, i));
    vec_release(&rs->regexes);
    prefilter_release(rs->prefilter);
    if (rs->marks)
        markset_release(rs->marks);
    registry_release(&rs->registry);
    arena_release(&rs->arena);
    free(rs);
}

size_t ipr_ruleset_rule_count(const ipr_ruleset *rs)
{
    return rs ? rs->rule_count : 0;
}

const ipr_rule_info *ipr_ruleset_rule(const ipr_ruleset *rs, size_t index)
{
    if (!rs || index >= rs->rule_count)
        return NULL;
    return &rs->rules[index].info;
}

const ipr_rule_info *ipr_ruleset_find(const ipr_ruleset *rs, const char *id)
{
    if (!rs || !id)
        return NULL;
    for (size_t i = 0; i < rs->rule_count; i++)
        if (strcmp(rs->rules[i].info.id, id) == 0)
            return &rs->rules[i].info;
    return NULL;
}

const char *ipr_ruleset_sha256(const ipr_ruleset *rs)
{
    return rs ? rs->sha256 : "";
}

size_t ipr_ruleset_stage_rule_count(const ipr_ruleset *rs, ipr_stage stage)
{
    if (!rs || (unsigned)stage >= IPR_STAGE_COUNT)
        return 0;
    return rs->stage_rule_count[stage];
}
