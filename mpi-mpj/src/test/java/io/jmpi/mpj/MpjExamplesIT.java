package io.jmpi.mpj;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples on the MPJ Express backend give the same verified answers as on jmpi's own transports: each runs on
 * 3 ranks with {@code --backend mpj} (multicore) and with jmpi's default transport, both must say
 * {@code verified: yes} (NPB: against the official verification values), and the answers (a value printed to 17
 * digits or a fingerprint of the whole distributed result) must be equal.
 */
class MpjExamplesIT {
    @BeforeAll
    static void mpjInstalled() {
        MpjJobs.assumeMpj();
    }

    private static String answer(MpjJobs.Result r, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(r.out());
        assertTrue(m.find(), "no /" + regex + "/ in:\n" + r.all());
        return m.group(1);
    }

    private static MpjJobs.Result run(List<String> launcher, String example, String args) {
        List<String> a = new ArrayList<>(launcher);
        a.addAll(List.of("-np", "3", "--timeout", "300", "--example", example));
        if (!args.isBlank()) a.addAll(List.of(args.trim().split(" ")));
        MpjJobs.Result r = MpjJobs.jmpirun(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("verified: yes"), r.all());
        return r;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "pi         | --n=3000001                       | ^pi result: (\\S+)",
            "samplesort | --n=100003                        | (fingerprint=\\S+)",
            "matmul     | --n=64 --panel=8                  | (fingerprint=\\S+)",
            "jacobi     | --n=61 --iterations=100 --png=    | (fingerprint=\\S+)",
            "wordcount  | --words=20011 --vocabulary=500    | (distinct=.*)",
            "npb-ep     | --class=S                         | ^npb-ep result: (.*)$",
            "npb-is     | --class=S                         | ^npb-is result: (.*)$",
            "npb-cg     | --class=S                         | ^npb-cg result: (.*)$"})
    void sameVerifiedAnswerAsOnJmpisOwnTransport(String example, String args, String result) {
        String onMpj = answer(run(List.of("--backend", "mpj"), example, args), result);
        String onJmpi = answer(run(List.of(), example, args), result);
        assertNotNull(onMpj);
        assertEquals(onJmpi, onMpj, example + ": the MPJ Express backend gave another answer");
    }
}
