/* Register access and a polled NS16550 console shared by the hart-TLB firmware and its
   benchmark (both run on their own startup, without the board support of guest/board). */
#ifndef HART_IO_H
#define HART_IO_H

#include <stdint.h>

#define UART_BASE 0x10000000UL

static inline void write32(uintptr_t base, uint32_t offset, uint32_t value)
{
    *(volatile uint32_t *)(base + offset) = value;
}

static inline uint32_t read32(uintptr_t base, uint32_t offset)
{
    return *(volatile uint32_t *)(base + offset);
}

static inline void uart_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while((uart[5] & 0x20) == 0)
    {
    }
    uart[0] = (uint8_t)c;
}

static inline void uart_puts(const char *s)
{
    while(*s != '\0')
    {
        uart_putc(*s++);
    }
}

static inline void uart_putu(uint64_t value)
{
    char digits[21];
    int n = 0;
    do
    {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    }
    while(value != 0);
    while(n > 0)
    {
        uart_putc(digits[--n]);
    }
}

#endif
