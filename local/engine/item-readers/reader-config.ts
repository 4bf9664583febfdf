import { z } from 'zod';

/** `ItemReader.ReaderConfig` of a Distributed Map, as the ASL defines it. */
export const ReaderConfigSchema = z.object({
  InputType: z.enum(['CSV', 'JSON', 'JSONL', 'MANIFEST']).optional(),
  CSVHeaderLocation: z.enum(['FIRST_ROW', 'GIVEN']).optional(),
  CSVHeaders: z.array(z.string()).optional(),
  CSVDelimiter: z.enum(['COMMA', 'PIPE', 'SEMICOLON', 'SPACE', 'TAB']).optional(),
  MaxItems: z.number().int().min(0).optional(),
});
export type ReaderConfig = z.infer<typeof ReaderConfigSchema>;

export const csvDelimiters = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' } as const;
