package io.tenantml.experts.internal;

import io.tenantml.shared.Texts;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * One opened index generation: a Lucene index of answered questions (HNSW {@code KnnFloatVectorField} with
 * cosine similarity, a BM25 text field, stored id/expert/time/tags) and the per-expert statistics the
 * ranking's priors need, computed once at open. Immutable once open; searches run concurrently.
 */
public final class ExpertIndex implements Closeable {

    static final String ID = "id";
    static final String TEXT = "text";
    static final String EXPERT = "expert";
    static final String TIME = "time";
    /** The answer time as a point, for "answers before" filters (the re-ranker's as-of training questions). */
    static final String TIME_POINT = "time_point";

    static final String TAGS = "tags";
    static final String VECTOR = "vector";

    /** HNSW graph: 16 neighbours per node, beam 100 at build (Lucene's defaults, stated so a change is visible). */
    static final int HNSW_MAX_CONN = 16;

    static final int HNSW_BEAM_WIDTH = 100;

    /** Characters of an answer that its evidence shows. */
    static final int EXCERPT_CHARS = 240;

    /** A String's own heap besides its characters (header, fields, array header), for the heap estimate. */
    private static final int STRING_BYTES = 56;

    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = new EnglishAnalyzer();
    final String[] docIds;
    /**
     * What evidence shows of each answer ({@link #excerpt}), kept from the read at open: a recommendation then
     * decompresses no stored answer (its evidence was a third of what it added to the raw searches).
     */
    private final String[] excerptOfDoc;

    private final long excerptBytes;
    final int[] expertOfDoc;
    final long[] timeOfDoc;
    final String[][] tagsOfDoc;
    final String[] experts;
    final Map<String, Integer> expertOrdinal;
    /** Each expert's answer times, ascending. */
    final long[][] expertTimes;
    /** Each expert's answer times per tag, ascending: tag statistics as of a time (a question's own). */
    final List<Map<String, long[]>> expertTagTimes;
    /** Every answer's time per tag, ascending. */
    final Map<String, long[]> tagTimes;
    /** Every expert's ordinal, ascending. */
    final int[] everyExpert;
    /** The experts who ever answered with each tag (ascending ordinals): a tag's candidates, without a scan. */
    final Map<String, int[]> expertsByTag;
    /** Every answer's time, ascending. */
    final long[] allTimes;

    final long newest;
    private final long bytes;

    /** Balog's model 1 over this generation's answers (term postings and lengths, built at open). */
    final CandidateModel candidateModel;

    private ExpertIndex(Directory directory, long bytes) throws IOException {
        this.directory = directory;
        this.bytes = bytes;
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity());
        int n = reader.maxDoc();
        docIds = new String[n];
        excerptOfDoc = new String[n];
        long excerpts = 0;
        expertOfDoc = new int[n];
        timeOfDoc = new long[n];
        tagsOfDoc = new String[n][];
        expertOrdinal = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<List<Long>> times = new ArrayList<>();
        long max = Long.MIN_VALUE;
        StoredFields stored = reader.storedFields();
        for (int doc = 0; doc < n; doc++) {
            Document d = stored.document(doc);
            docIds[doc] = d.get(ID);
            excerptOfDoc[doc] = excerpt(d.get(TEXT));
            excerpts += STRING_BYTES + 2L * excerptOfDoc[doc].length();
            String expert = d.get(EXPERT);
            Integer ordinal = expertOrdinal.get(expert);
            if (ordinal == null) {
                ordinal = names.size();
                expertOrdinal.put(expert, ordinal);
                names.add(expert);
                times.add(new ArrayList<>());
            }
            expertOfDoc[doc] = ordinal;
            timeOfDoc[doc] = d.getField(TIME).numericValue().longValue();
            max = Math.max(max, timeOfDoc[doc]);
            tagsOfDoc[doc] = d.getValues(TAGS);
            times.get(ordinal).add(timeOfDoc[doc]);
        }
        excerptBytes = excerpts;
        experts = names.toArray(String[]::new);
        expertTimes = new long[experts.length][];
        for (int e = 0; e < experts.length; e++) {
            expertTimes[e] =
                    times.get(e).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        Map<String, List<Long>> byTag = new HashMap<>();
        List<Map<String, List<Long>>> byExpertTag = new ArrayList<>();
        for (int e = 0; e < experts.length; e++) {
            byExpertTag.add(new HashMap<>());
        }
        for (int doc = 0; doc < n; doc++) {
            for (String tag : tagsOfDoc[doc]) {
                byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(timeOfDoc[doc]);
                byExpertTag
                        .get(expertOfDoc[doc])
                        .computeIfAbsent(tag, t -> new ArrayList<>())
                        .add(timeOfDoc[doc]);
            }
        }
        tagTimes = sortedTimes(byTag);
        List<Map<String, long[]>> expertTagTimes = new ArrayList<>(experts.length);
        for (Map<String, List<Long>> m : byExpertTag) {
            expertTagTimes.add(sortedTimes(m));
        }
        this.expertTagTimes = List.copyOf(expertTagTimes);
        everyExpert = java.util.stream.IntStream.range(0, experts.length).toArray();
        Map<String, List<Integer>> taggers = new HashMap<>();
        for (int e = 0; e < experts.length; e++) {
            for (String tag : byExpertTag.get(e).keySet()) {
                taggers.computeIfAbsent(tag, t -> new ArrayList<>()).add(e);
            }
        }
        Map<String, int[]> byTagExperts = new HashMap<>();
        taggers.forEach((tag, list) ->
                byTagExperts.put(tag, list.stream().mapToInt(Integer::intValue).toArray()));
        expertsByTag = byTagExperts;
        allTimes = Arrays.stream(timeOfDoc).sorted().toArray();
        newest = n == 0 ? 0 : max;
        candidateModel = new CandidateModel(this);
    }

    private static Map<String, long[]> sortedTimes(Map<String, List<Long>> byKey) {
        Map<String, long[]> out = new HashMap<>();
        byKey.forEach((k, v) ->
                out.put(k, v.stream().mapToLong(Long::longValue).sorted().toArray()));
        return out;
    }

    /**
     * Writes a new index of {@code docs} with their unit vectors into {@code target} (empty) and merges it to
     * one segment, so that the generation's files, and so its HNSW graph and answers, are the same wherever
     * it is opened.
     */
    public static void write(List<ExpertDoc> docs, List<float[]> vectors, Directory target) throws IOException {
        if (docs.size() != vectors.size()) {
            throw new IllegalArgumentException(
                    "docs and vectors differ in size: " + docs.size() + " vs " + vectors.size());
        }
        IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
                .setSimilarity(new BM25Similarity())
                .setUseCompoundFile(false)
                .setCodec(new Lucene912Codec() {
                    @Override
                    public org.apache.lucene.codecs.KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(HNSW_MAX_CONN, HNSW_BEAM_WIDTH);
                    }
                })
                // merges only adjacent segments, so document numbers keep the order the answers were added in
                .setMergePolicy(new org.apache.lucene.index.LogByteSizeMergePolicy())
                .setRAMBufferSizeMB(64);
        try (IndexWriter writer = new IndexWriter(target, config)) {
            for (int i = 0; i < docs.size(); i++) {
                ExpertDoc doc = docs.get(i);
                Document d = new Document();
                d.add(new StringField(ID, doc.id(), Field.Store.YES));
                d.add(new TextField(TEXT, doc.text(), Field.Store.YES));
                d.add(new StringField(EXPERT, doc.expert(), Field.Store.YES));
                d.add(new StoredField(TIME, doc.time()));
                d.add(new org.apache.lucene.document.LongPoint(TIME_POINT, doc.time()));
                for (String tag : doc.tags()) {
                    d.add(new StringField(TAGS, tag, Field.Store.YES));
                }
                d.add(new KnnFloatVectorField(VECTOR, vectors.get(i), VectorSimilarityFunction.COSINE));
                writer.addDocument(d);
            }
            writer.forceMerge(1);
            writer.commit();
        }
    }

    /** Opens an index held in memory (the heap it takes is {@link #bytes()}). */
    public static ExpertIndex open(Directory directory) throws IOException {
        long size = 0;
        for (String file : directory.listAll()) {
            size += directory.fileLength(file);
        }
        return new ExpertIndex(directory, size);
    }

    /** Copies an index directory on disk into memory and opens it. */
    public static ExpertIndex load(Path dir) throws IOException {
        ByteBuffersDirectory memory = new ByteBuffersDirectory();
        try (FSDirectory fs = FSDirectory.open(dir)) {
            for (String file : fs.listAll()) {
                memory.copyFrom(fs, file, file, IOContext.READONCE);
            }
        }
        return open(memory);
    }

    /** Lucene file names and contents, for packing a generation into one blob. */
    public static List<String> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString())
                    .filter(f -> !f.equals("write.lock"))
                    .sorted()
                    .toList();
        }
    }

    /** Reads a whole file of a directory (index files are small: tens of megabytes at most). */
    static byte[] readFile(Directory dir, String file) throws IOException {
        try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
            byte[] bytes = new byte[Math.toIntExact(in.length())];
            in.readBytes(bytes, 0, bytes.length);
            return bytes;
        }
    }

    static void writeFile(Directory dir, String file, byte[] bytes) throws IOException {
        try (IndexOutput out = dir.createOutput(file, IOContext.DEFAULT)) {
            out.writeBytes(bytes, bytes.length);
        }
    }

    public IndexSearcher searcher() {
        return searcher;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    public int size() {
        return docIds.length;
    }

    public int expertCount() {
        return experts.length;
    }

    public boolean knows(String expert) {
        return expertOrdinal.containsKey(expert);
    }

    /** The newest answer's time: the "now" of this generation's recency and activity priors. */
    public long newest() {
        return newest;
    }

    /** Size of the index files (they are held in memory). */
    public long bytes() {
        return bytes;
    }

    /** Heap of the open index as the open-generation cache counts it: its files and the evidence excerpts. */
    public long heapBytes() {
        return bytes + excerptBytes;
    }

    /** What a recommendation shows of an answer as evidence: {@link #excerpt(String)} of its text. */
    public String excerpt(int doc) {
        return excerptOfDoc[doc];
    }

    /**
     * The first {@link #EXCERPT_CHARS} characters of an answer and "…" when there is more, never cutting a
     * character outside the Basic Multilingual Plane in half (a lone surrogate is not valid text in JSON).
     */
    static String excerpt(String text) {
        return text.length() <= EXCERPT_CHARS ? text : Texts.cut(text, EXCERPT_CHARS) + "…";
    }

    /** Answers of an expert in (from, to], by binary search over its sorted times. */
    int answersBetween(int expert, long from, long to) {
        long[] times = expertTimes[expert];
        return upper(times, to) - upper(times, from);
    }

    private static int upper(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == value) {
            i++;
        }
        return i;
    }

    long lastAnswer(int expert) {
        long[] times = expertTimes[expert];
        return times[times.length - 1];
    }

    /** The expert's last answer at or before {@code time} (the expert must have one). */
    long lastAnswerAtOrBefore(int expert, long time) {
        long[] times = expertTimes[expert];
        int n = upper(times, time);
        return n == 0 ? Long.MIN_VALUE : times[n - 1];
    }

    /** The expert's answers at or before {@code time}. */
    int answersAtOrBefore(int expert, long time) {
        return upper(expertTimes[expert], time);
    }

    /** All answers in (from, to]. */
    int allAnswersBetween(long from, long to) {
        return upper(allTimes, to) - upper(allTimes, from);
    }

    /** The expert's answers carrying {@code tag} in (from, to]. */
    int tagAnswersBetween(int expert, String tag, long from, long to) {
        long[] times = expertTagTimes.get(expert).get(tag);
        return times == null ? 0 : upper(times, to) - upper(times, from);
    }

    /**
     * The expert's answers carrying {@code tag} at or before {@code now}, each weighted by its age: an answer
     * {@code halfLifeDays} old counts half.
     */
    double decayedTagAnswers(int expert, String tag, long now, double halfLifeDays) {
        long[] times = expertTagTimes.get(expert).get(tag);
        if (times == null) {
            return 0;
        }
        double sum = 0;
        for (int i = upper(times, now) - 1; i >= 0; i--) {
            double days = (now - times[i]) / 86_400_000d;
            double w = Math.exp(-Math.log(2) * days / halfLifeDays);
            if (w < 1e-4) {
                break; // older answers (times ascend) weigh less still
            }
            sum += w;
        }
        return sum;
    }

    /** Everyone's answers carrying {@code tag} in (from, to]. */
    int tagAnswersBetween(String tag, long from, long to) {
        long[] times = tagTimes.get(tag);
        return times == null ? 0 : upper(times, to) - upper(times, from);
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            directory.close();
        }
    }
}
