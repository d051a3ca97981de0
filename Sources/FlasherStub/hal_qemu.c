/* Hardware layer of the QEMU test build (qemu-system-xtensa -M sim -cpu lx106).
 *
 * UART  -> the emulator's standard input/output through Xtensa semihosting: the `simcall`
 *          instruction with a2 = call number (SYS_exit 1, SYS_read 3, SYS_write 4), a3..a5 =
 *          arguments; result in a2 (QEMU target/xtensa/xtensa-semi.c, enabled with
 *          -semihosting-config enable=on,target=native).
 * Flash -> a 4 MiB RAM array in the sim machine's sysrom0 RAM (0x50000000..0x53FFFFFF),
 *          with NOR semantics: erase sets 0xFF, programming ANDs bits in, so a write the
 *          stub forgot to erase first shows up as wrong data. It starts filled with a
 *          non-erased pattern for the same reason.
 * Registers -> a small table (READ_REG/WRITE_REG must not poke emulator memory); UART CLKDIV
 *          starts at 0x1C4 (a 26 MHz board at 115200 baud, facts sheet section 5) and
 *          CHANGE_BAUDRATE writes the computed divider there, so tests can read it back.
 *          READ_REG of QEMU_CCOUNT_REG (not an ESP8266 address) returns the CPU's CCOUNT, so
 *          the tests can count instructions: run with -icount shift=0 (run-stub-qemu.sh does
 *          when ESPWIZ_STUB_ICOUNT=1) QEMU's virtual clock advances 1 ns per instruction and
 *          the sim machine's 40 MHz CCOUNT ticks once per 25 instructions.
 */
#include "stub_hal.h"
#include "stub_baud.h"
#include "stub_protocol.h"
#include "stub_util.h"

#define SYS_EXIT 1
#define SYS_READ 3
#define SYS_WRITE 4

#define FLASH_CAPACITY (4u * 1024u * 1024u)

extern uint8_t _qemu_flash_start[]; /* from qemu.ld */
extern uint32_t _bss_start, _bss_end;
extern uint32_t _stage2_text_start[], _stage2_text_end[], _stage2_data_start[], _stage2_data_end[];

static int32_t simcall(int32_t number, int32_t a, int32_t b, int32_t c)
{
    register int32_t a2 __asm__("a2") = number;
    register int32_t a3 __asm__("a3") = a;
    register int32_t a4 __asm__("a4") = b;
    register int32_t a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

static void qemu_exit(int code)
{
    for (;;) {
        simcall(SYS_EXIT, code, 0, 0);
    }
}

/* ---- UART ---- */

static uint8_t rx_buf[4096];
static uint32_t rx_pos, rx_len;

/* The empty-buffer path of hal_rx_span, out of line so that the span's own path stays short. */
static __attribute__((noinline)) int rx_refill(void)
{
    /* Nothing waiting: the device build's ring would be empty here too. One unit of
     * background work per empty buffer (the read below blocks; QEMU has no ring). */
    stub_rx_idle();
    int32_t n = simcall(SYS_READ, 0, (int32_t)(uintptr_t)rx_buf, sizeof rx_buf);
    if (n <= 0) {
        return 0;
    }
    rx_pos = 0;
    rx_len = (uint32_t)n;
    return 1;
}

const uint8_t *hal_rx_span(uint32_t *length)
{
    if (rx_pos == rx_len && !rx_refill()) {
        return 0;
    }
    *length = rx_len - rx_pos;
    return rx_buf + rx_pos;
}

void hal_rx_consume(uint32_t count) { rx_pos += count; }

static hal_tx_idle_fn tx_idle;

void hal_tx(const uint8_t *data, uint32_t length)
{
    /* Standard output never makes the stub wait, so the idle work gets one turn per call
     * (the protocol hands over at most 64 bytes at a time), as if the FIFO were full. */
    if (tx_idle != 0) {
        tx_idle();
    }
    while (length != 0) {
        int32_t n = simcall(SYS_WRITE, 1, (int32_t)(uintptr_t)data, (int32_t)length);
        if (n <= 0) {
            qemu_exit(3); /* the host went away */
        }
        data += n;
        length -= (uint32_t)n;
    }
}

void hal_set_tx_idle(hal_tx_idle_fn fn) { tx_idle = fn; }

void hal_tx_flush(void) {}

/* ---- registers ---- */

#define REG_SLOTS 32
static uint32_t reg_address[REG_SLOTS];
static uint32_t reg_value[REG_SLOTS];
static uint32_t reg_count;

static uint32_t *reg_slot(uint32_t address, int create)
{
    for (uint32_t i = 0; i < reg_count; i++) {
        if (reg_address[i] == address) {
            return &reg_value[i];
        }
    }
    if (!create || reg_count == REG_SLOTS) {
        return 0;
    }
    reg_address[reg_count] = address;
    reg_value[reg_count] = 0;
    return &reg_value[reg_count++];
}

#define QEMU_CCOUNT_REG 0x7FFFFFF0u

uint32_t hal_read_reg(uint32_t address)
{
    if (address == QEMU_CCOUNT_REG) {
        uint32_t ccount;
        __asm__ volatile("rsr %0, ccount" : "=r"(ccount));
        return ccount;
    }
    uint32_t *slot = reg_slot(address, 0);
    return slot ? *slot : 0;
}

void hal_write_reg(uint32_t address, uint32_t value, uint32_t mask, uint32_t delay_us)
{
    (void)delay_us;
    uint32_t *slot = reg_slot(address, 1);
    if (slot) {
        *slot = (*slot & ~mask) | (value & mask);
    }
}

void hal_set_uart_divider(uint32_t divider)
{
    hal_write_reg(STUB_UART_CLKDIV_REG, divider, STUB_UART_CLKDIV_MASK, 0);
}

/* ---- flash ---- */

uint32_t hal_flash_capacity(void) { return FLASH_CAPACITY; }

void hal_flash_set_params(uint32_t id, uint32_t total_size, uint32_t block_size,
                          uint32_t sector_size, uint32_t page_size, uint32_t status_mask)
{
    (void)id, (void)total_size, (void)block_size, (void)sector_size, (void)page_size, (void)status_mask;
}

void hal_flash_attach(uint32_t config) { (void)config; }

int hal_flash_unlock(void) { return HAL_OK; }

static int flash_args_ok(uint32_t address, uintptr_t buffer, uint32_t length)
{
    /* The ROM routines want word alignment; enforce it so the portable code is held to it. */
    if ((address & 3u) || (buffer & 3u) || (length & 3u)) {
        return 0;
    }
    return address <= FLASH_CAPACITY && length <= FLASH_CAPACITY - address;
}

int hal_flash_read(uint32_t address, void *dst, uint32_t length)
{
    if (!flash_args_ok(address, (uintptr_t)dst, length)) {
        return HAL_FAILED;
    }
    /* Word by word, as the ROM's SPIRead copies the SPI data registers out, so that the
     * instruction counts of the tests are close to the device's CPU work. */
    const uint32_t *s = (const uint32_t *)(_qemu_flash_start + address);
    uint32_t *d = (uint32_t *)dst;
    for (uint32_t i = 0; i < length / 4u; i++) {
        d[i] = s[i];
    }
    return HAL_OK;
}

int hal_flash_write(uint32_t address, const void *src, uint32_t length)
{
    if (!flash_args_ok(address, (uintptr_t)src, length)) {
        return HAL_FAILED;
    }
    const uint32_t *s = (const uint32_t *)src;
    uint32_t *d = (uint32_t *)(_qemu_flash_start + address);
    for (uint32_t i = 0; i < length / 4u; i++) {
        d[i] &= s[i]; /* NOR programming can only clear bits (word by word, like SPIWrite's copy) */
    }
    return HAL_OK;
}

static int erase(uint32_t address, uint32_t length)
{
    if (address >= FLASH_CAPACITY || length > FLASH_CAPACITY - address) {
        return HAL_FAILED;
    }
    /* Word stores: on the chip an erase costs the CPU nothing but polling. */
    uint32_t *d = (uint32_t *)(_qemu_flash_start + address);
    for (uint32_t i = 0; i < length / 4u; i++) {
        d[i] = 0xFFFFFFFFu;
    }
    return HAL_OK;
}

int hal_flash_erase_sector(uint32_t sector) { return erase(sector * 4096u, 4096u); }

int hal_flash_erase_block(uint32_t block) { return erase(block * 65536u, 65536u); }

int hal_flash_erase_chip(void) { return erase(0, FLASH_CAPACITY); }

/* ---- life cycle ---- */

void hal_reboot(void) { qemu_exit(0); }

void hal_init(void)
{
    /* "Old contents": a deterministic pattern that is not erased flash. */
    for (uint32_t i = 0; i < FLASH_CAPACITY; i++) {
        _qemu_flash_start[i] = (uint8_t)(0x5A ^ (i >> 12) ^ (i * 13u));
    }
    hal_write_reg(0x40001000u, 0xFFF0C101u, 0xFFFFFFFFu, 0); /* ESP8266 chip magic (facts section 5) */
    hal_write_reg(STUB_UART_CLKDIV_REG, 0x1C4u, 0xFFFFFFFFu, 0);
}

void qemu_main(void);

/* Called from entry_qemu.S with a stack. */
void qemu_main(void)
{
    for (uint32_t *p = &_bss_start; p < &_bss_end; p++) {
        *p = 0;
    }
    /* QEMU loads the whole ELF, second stage included. Clear it (0 is the ILL instruction), so
     * on this build, as on the chip, the decoders exist only after the host uploaded them. */
    for (uint32_t *p = _stage2_text_start; p < _stage2_text_end; p++) {
        *p = 0;
    }
    for (uint32_t *p = _stage2_data_start; p < _stage2_data_end; p++) {
        *p = 0;
    }
    hal_init();
    stub_run();
    qemu_exit(0);
}
