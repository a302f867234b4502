package io.tenantml.experts;

import java.util.List;

/**
 * A question to find experts for.
 *
 * @param text    the question (required)
 * @param tags    optional tags of the question (matched against answers' tags; at most 50)
 * @param k       how many experts (default 5, at most 100)
 * @param exclude experts not to recommend (the asker, people on leave; at most 1,000)
 * @param explain also return each expert's ranking features
 */
public record RecommendRequest(String text, List<String> tags, Integer k, List<String> exclude, Boolean explain) {}
