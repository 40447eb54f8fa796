'use client';
import { memo } from 'react';
import { STEP_TYPES, stepDefinitions, type StepType } from '@/lib/journey';
import styles from './canvas.module.css';

export const STEP_DRAG_MIME = 'application/x-tarmo-step';

/** Every step type, generated from the registry: drag onto the canvas, or click / Enter to add. */
function PaletteView({ disabled, onAdd }: { disabled: boolean; onAdd: (type: StepType) => void }) {
  return (
    <nav className={styles.palette} aria-label="Step palette">
      {STEP_TYPES.map((type) => {
        const definition = stepDefinitions[type];
        return (
          <button
            key={type}
            type="button"
            className={styles.paletteItem}
            data-testid={`palette-${type}`}
            draggable={!disabled}
            aria-disabled={disabled}
            title={definition.description}
            aria-label={`Add ${definition.label}: ${definition.description}`}
            onDragStart={(event) => {
              if (disabled) return event.preventDefault();
              event.dataTransfer.setData(STEP_DRAG_MIME, type);
              event.dataTransfer.setData('text/plain', type);
              event.dataTransfer.effectAllowed = 'move';
            }}
            onClick={() => {
              if (!disabled) onAdd(type);
            }}
          >
            <span aria-hidden="true">{definition.icon}</span>
            {definition.label}
          </button>
        );
      })}
    </nav>
  );
}

export const Palette = memo(PaletteView);
