/* Reading a whole number from the command line, strictly. */
#ifndef PREFACE_NUMBER_H
#define PREFACE_NUMBER_H

/* Reads text as a whole decimal number from min to max: digits, a '-' in front of a negative
   one, nothing else (no spaces, no '+', no "12abc"). Returns 0 and stores it in *out, or
   returns -1 after printing on standard error, for instance
   "preface: POLLS must be a whole number from 0 to 1000000, not "abc"". */
int number_parse(const char *program, const char *what, const char *text, long min, long max,
                 long *out);

#endif
