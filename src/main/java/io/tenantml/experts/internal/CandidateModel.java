package io.tenantml.experts.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;

/**
 * Balog's candidate model (model 1): each expert is one language model over all of their answers, and experts
 * are ranked by log p(e) + log p(question text | e) + w · log p(question tags | e). It sees an expert's whole
 * history at once, where the document model only sees the answers that happened to match; so it ranks people
 * who write about a subject often but never in the query's exact words.
 *
 * <p>Answers count by their age (an answer {@link Params#halfLifeDays} old counts half), so the model follows
 * what people work on now. The term model is Dirichlet-smoothed towards the whole index's (decayed) term model
 * with a large pseudo-length ({@link Params#mu}): experts with few answers are not ranked first for a single
 * rare shared word. The prior p(e) is the expert's decayed answer count (half-life {@link
 * Params#priorHalfLifeDays}) to the power {@link Params#priorWeight}. Only answers before the question's time
 * count (the as-of questions the re-ranker and the tuning ask).
 *
 * <p>Built once per opened generation from the BM25 field's postings (the same analysed terms BM25 searches):
 * term postings and per-answer lengths, a few times the index's term dictionary in heap.
 */
final class CandidateModel {

    /**
     * The model's constants. The defaults were chosen on the training part only (frozen-block questions of the
     * dev set's first 90%, never its holdout; see docs/benchmarks.md, "Recommended experts: ranking quality").
     *
     * @param mu                Dirichlet pseudo-length of the text model, in (decayed) terms
     * @param tagMu             Dirichlet pseudo-count of the tag model, in (decayed) tag occurrences
     * @param halfLifeDays      an answer this old counts half in the expert's term and tag models
     * @param priorHalfLifeDays an answer this old counts half in the prior's answer count
     * @param priorWeight       exponent of the prior (log p(e) is multiplied by it)
     * @param tagWeight         weight of the tag model's log-likelihood beside the text's
     */
    record Params(
            double mu,
            double tagMu,
            double halfLifeDays,
            double priorHalfLifeDays,
            double priorWeight,
            double tagWeight) {

        static final Params DEFAULTS = new Params(2000, 5, 365, 180, 1.5, 0.5);

        Params {
            if (!(mu > 0) || !(tagMu > 0) || !(halfLifeDays > 0) || !(priorHalfLifeDays > 0)) {
                throw new IllegalArgumentException("mu, tagMu and half-lives must be positive");
            }
        }
    }

    private static final double DAY_MILLIS = 86_400_000d;

    /** Experts with no answer before the question's time score this (they cannot be recommended). */
    static final double UNKNOWN = Double.NEGATIVE_INFINITY;

    private final ExpertIndex index;
    /** term -> answers containing it (ascending) and the term's frequency in each. */
    private final Map<String, int[]> termDocs;

    private final Map<String, int[]> termFreqs;
    /** tag -> answers carrying it (ascending). */
    private final Map<String, int[]> tagDocs;

    private final int[] length;

    CandidateModel(ExpertIndex index) {
        this.index = index;
        int n = index.size();
        length = new int[n];
        Map<String, int[]> docs = new HashMap<>();
        Map<String, int[]> freqs = new HashMap<>();
        try {
            for (LeafReaderContext leaf : index.searcher().getIndexReader().leaves()) {
                LeafReader reader = leaf.reader();
                Terms terms = reader.terms(ExpertIndex.TEXT);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = terms.iterator();
                PostingsEnum pe = null;
                for (BytesRef term = te.next(); term != null; term = te.next()) {
                    String t = term.utf8ToString();
                    pe = te.postings(pe, PostingsEnum.FREQS);
                    int[] d = new int[te.docFreq()];
                    int[] f = new int[d.length];
                    int i = 0;
                    for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
                        if (i == d.length) { // deleted documents are not expected: a generation is written once
                            d = Arrays.copyOf(d, i * 2 + 1);
                            f = Arrays.copyOf(f, i * 2 + 1);
                        }
                        d[i] = leaf.docBase + doc;
                        f[i] = pe.freq();
                        length[d[i]] += f[i];
                        i++;
                    }
                    merge(docs, freqs, t, Arrays.copyOf(d, i), Arrays.copyOf(f, i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        termDocs = docs;
        termFreqs = freqs;
        Map<String, List<Integer>> byTag = new HashMap<>();
        for (int doc = 0; doc < n; doc++) {
            for (String tag : index.tagsOfDoc[doc]) {
                byTag.computeIfAbsent(tag, x -> new ArrayList<>()).add(doc);
            }
        }
        Map<String, int[]> tags = new HashMap<>();
        byTag.forEach((tag, list) ->
                tags.put(tag, list.stream().mapToInt(Integer::intValue).toArray()));
        tagDocs = tags;
    }

    private static void merge(Map<String, int[]> docs, Map<String, int[]> freqs, String t, int[] d, int[] f) {
        int[] oldD = docs.get(t);
        if (oldD == null) {
            docs.put(t, d);
            freqs.put(t, f);
            return;
        }
        int[] oldF = freqs.get(t);
        int[] nd = Arrays.copyOf(oldD, oldD.length + d.length);
        int[] nf = Arrays.copyOf(oldF, oldF.length + f.length);
        System.arraycopy(d, 0, nd, oldD.length, d.length);
        System.arraycopy(f, 0, nf, oldF.length, f.length);
        docs.put(t, nd);
        freqs.put(t, nf);
    }

    /**
     * The decayed answer weights and the per-expert parts of the score that do not depend on the question, as of
     * one time: log p(e) times the prior's weight, and the logs of the smoothed text and tag model lengths.
     */
    private record Base(
            long now,
            Params params,
            double[] weight,
            double[] logPrior,
            double[] logTermNorm,
            double[] logTagNorm,
            double total,
            double totalTags) {}

    /**
     * The last {@link Base}: serving asks every question as of the generation's newest answer, and the holdout
     * and tuning blocks share their cutoff, so one entry saves a pass over all answers per question.
     */
    private volatile Base last;

    private Base base(long now, Params p) {
        Base b = last;
        if (b != null && b.now() == now && b.params().equals(p)) {
            return b;
        }
        int n = index.size();
        int experts = index.experts.length;
        double[] w = new double[n];
        double[] prior = new double[experts];
        double[] termMass = new double[experts];
        double[] tagMass = new double[experts];
        double total = 0;
        double totalTags = 0;
        for (int doc = 0; doc < n; doc++) {
            long t = index.timeOfDoc[doc];
            if (t > now) {
                continue;
            }
            double days = (now - t) / DAY_MILLIS;
            w[doc] = Math.exp(-Math.log(2) * days / p.halfLifeDays());
            int e = index.expertOfDoc[doc];
            prior[e] += Math.exp(-Math.log(2) * days / p.priorHalfLifeDays());
            termMass[e] += w[doc] * length[doc];
            tagMass[e] += w[doc] * index.tagsOfDoc[doc].length;
            total += w[doc] * length[doc];
            totalTags += w[doc] * index.tagsOfDoc[doc].length;
        }
        double[] logPrior = new double[experts];
        double[] logTermNorm = new double[experts];
        double[] logTagNorm = new double[experts];
        for (int e = 0; e < experts; e++) {
            logPrior[e] = prior[e] > 0 ? p.priorWeight() * Math.log(prior[e]) : UNKNOWN;
            logTermNorm[e] = Math.log(termMass[e] + p.mu());
            logTagNorm[e] = Math.log(tagMass[e] + p.tagMu());
        }
        b = new Base(now, p, w, logPrior, logTermNorm, logTagNorm, total, totalTags);
        last = b;
        return b;
    }

    /**
     * Every expert's score for the question (indexed by expert ordinal), taken as of {@code now}: only answers
     * at or before it count. {@link #UNKNOWN} for experts with no answer by then.
     *
     * <p>Each query term adds log((mine + μ·background) / (mass + μ)) for every expert. Written as log(mine +
     * μ·background) − log(mass + μ), the second part is the same for every term (its log is kept in the {@link
     * Base}), and the first is the same log(μ·background) for every expert with no answer holding the term: so a
     * term costs its postings and the experts they touch, not a logarithm per expert (the sum is the same up to
     * rounding).
     */
    double[] scores(String text, List<String> tags, long now, Params p) {
        Base b = base(now, p);
        int experts = index.experts.length;
        double[] w = b.weight();
        double[] score = new double[experts];
        Touched mine = new Touched(experts);
        double everyone = 0; // what each term adds for an expert without it, summed over terms
        double textNorms = 0; // how many times each expert's log(mass + μ) is subtracted
        for (Map.Entry<String, Integer> term : queryTerms(text).entrySet()) {
            int[] d = termDocs.get(term.getKey());
            if (d == null) {
                continue; // a word no answer has is equally unlikely for everyone
            }
            int[] f = termFreqs.get(term.getKey());
            double all = 0;
            for (int i = 0; i < d.length; i++) {
                double c = w[d[i]] * f[i];
                mine.add(index.expertOfDoc[d[i]], c);
                all += c;
            }
            // add-half background so a term seen only after the question still has a finite probability
            double smoothing = p.mu() * (all + 0.5) / (b.total() + 1);
            double times = term.getValue();
            mine.drain(score, times, smoothing);
            everyone += times * Math.log(smoothing);
            textNorms += times;
        }
        double tagsEveryone = 0;
        double tagNorms = 0;
        if (p.tagWeight() > 0) {
            for (String tag : tags) {
                int[] d = tagDocs.getOrDefault(tag, new int[0]);
                double all = 0;
                for (int doc : d) {
                    mine.add(index.expertOfDoc[doc], w[doc]);
                    all += w[doc];
                }
                double smoothing = p.tagMu() * (all + 0.5) / (b.totalTags() + 1);
                mine.drain(score, p.tagWeight(), smoothing);
                tagsEveryone += p.tagWeight() * Math.log(smoothing);
                tagNorms += p.tagWeight();
            }
        }
        for (int e = 0; e < experts; e++) {
            score[e] = b.logPrior()[e] == UNKNOWN
                    ? UNKNOWN
                    : score[e]
                            + everyone
                            - textNorms * b.logTermNorm()[e]
                            + tagsEveryone
                            - tagNorms * b.logTagNorm()[e]
                            + b.logPrior()[e];
        }
        return score;
    }

    /** One term's decayed counts for the experts its postings touch; reset by {@link #drain} for the next. */
    private static final class Touched {
        private final double[] count;
        private final int[] experts;
        private int size;

        Touched(int experts) {
            this.count = new double[experts];
            this.experts = new int[experts];
        }

        void add(int expert, double c) {
            if (c <= 0) {
                return; // an answer after the question's time weighs nothing, as for an expert it never touches
            }
            if (count[expert] == 0) {
                experts[size++] = expert;
            }
            count[expert] += c;
        }

        /** Adds {@code times} · (log(count + smoothing) − log(smoothing)) to each touched expert's score. */
        void drain(double[] score, double times, double smoothing) {
            double base = Math.log(smoothing);
            for (int i = 0; i < size; i++) {
                int e = experts[i];
                score[e] += times * (Math.log(count[e] + smoothing) - base);
                count[e] = 0;
            }
            size = 0;
        }
    }

    /** The question's analysed terms (the BM25 field's analyser) and how often each occurs. */
    private Map<String, Integer> queryTerms(String text) {
        String cut =
                text.length() > ExpertRanker.MAX_QUERY_CHARS ? text.substring(0, ExpertRanker.MAX_QUERY_CHARS) : text;
        Map<String, Integer> terms = new LinkedHashMap<>();
        try (TokenStream ts = index.analyzer().tokenStream(ExpertIndex.TEXT, cut)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.merge(term.toString(), 1, Integer::sum);
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }
}
