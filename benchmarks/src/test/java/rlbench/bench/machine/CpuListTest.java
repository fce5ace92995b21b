package rlbench.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuListTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0-3,8,10-11   | 0-3,8,10-11",
        "3,1,2,0       | 0-3",
        "0-3,2-5,5     | 0-5",
        "' 7 , 1 '     | 1,7",
        "4             | 4",
        "1,2,4,5,6     | 1-2,4-6",
    })
    void readsTheKernelsListSyntaxAndWritesItBackCanonically(String text, String canonical) {
        assertEquals(canonical, CpuList.parse(text).toString());
        assertEquals(CpuList.parse(text), CpuList.parse(canonical));
    }

    @Test
    void anEmptyFileIsTheEmptySetAsTheKernelWritesNone() {
        assertTrue(CpuList.parse("").isEmpty());
        assertTrue(CpuList.parse(" \n").isEmpty());
        assertEquals("", CpuList.empty().toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "a            | 'a' is not a CPU number or range (want a list such as 0-3,8,10-11)",
        "1-           | '1-' is not a CPU number or range",
        "-1           | '-1' is not a CPU number or range",
        "0,,2         | '' in '0,,2' is not a CPU number or range",
        "0-3,x        | 'x' in '0-3,x' is not a CPU number or range",
        "1-2-3        | '1-2-3' is not a CPU number or range",
        "0-3:2        | '0-3:2' is not a CPU number or range",
        "3-1          | the range 3-1 runs backwards; write 1-3",
        "0-2000000000 | CPU 2000000000 is beyond any Linux machine's CPU numbers",
        "99999999999  | CPU 99999999999 is beyond any Linux machine's CPU numbers",
    })
    void aBadListIsOneLineNamingTheItem(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuList.parse(text));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aNumberTheMachineMayLackStillParsesSoTheMachineCheckCanNameWhatExists() {
        assertEquals("99999", CpuList.parse("99999").toString());
    }

    @Test
    void setOperations() {
        CpuList a = CpuList.parse("0-5");
        CpuList b = CpuList.parse("4-7");
        assertEquals("0-3", a.minus(b).toString());
        assertEquals("4-5", a.and(b).toString());
        assertEquals("0-7", a.or(b).toString());
        assertTrue(CpuList.parse("1,3").within(a));
        assertFalse(b.within(a));
        assertEquals(List.of(4, 5, 6, 7), b.numbers());
        assertEquals(4, b.size());
        assertTrue(b.contains(7));
        assertFalse(b.contains(8));
        assertFalse(b.contains(-1));
    }
}
