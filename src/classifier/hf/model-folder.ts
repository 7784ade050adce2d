import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** What a Hugging Face text-classification folder must hold for the default fp32 ONNX export. */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;

export interface ModelFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** Parsed config.json. */
  config: Record<string, unknown>;
}

/**
 * Checks the folder ourselves before handing it to @huggingface/transformers, so a broken install
 * fails with a message that names the folder and the file (the library's messages name neither
 * clearly, and a missing file could otherwise fall through to a remote lookup).
 */
export async function checkModelFolder(dirArg: string): Promise<ModelFolder> {
  const dir = path.resolve(dirArg);
  const info = await stat(dir).catch(() => null);
  if (info === null) throw new Error(`HF model folder ${dir} does not exist`);
  if (!info.isDirectory()) throw new Error(`HF model folder ${dir} is not a directory`);

  for (const file of REQUIRED_FILES) {
    const fileInfo = await stat(path.join(dir, file)).catch(() => null);
    if (fileInfo === null || !fileInfo.isFile()) {
      throw new Error(`HF model folder ${dir} is missing ${file} (need ${REQUIRED_FILES.join(', ')})`);
    }
  }

  const config = await readJsonObject(dir, 'config.json');
  // The tokenizer files are parsed only to fail with our message; the library reads them again.
  await readJsonObject(dir, 'tokenizer_config.json');
  await readJsonObject(dir, 'tokenizer.json');
  return { dir, config };
}

async function readJsonObject(dir: string, file: string): Promise<Record<string, unknown>> {
  const text = await readFile(path.join(dir, file), 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`HF model folder ${dir}: ${file} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`HF model folder ${dir}: ${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}
